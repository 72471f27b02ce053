namespace HealthcareOrleans.Lake.Data;

/// <summary>A view of one row of a <see cref="DeltaBatch"/>. Reading through it boxes; use the column arrays on hot paths.</summary>
public readonly struct DeltaRow
{
    private readonly DeltaBatch _batch;

    internal DeltaRow(DeltaBatch batch, int index)
    {
        _batch = batch;
        Index = index;
    }

    public int Index { get; }

    public object? this[string column] => _batch.Column(column).GetValue(Index);

    public object? this[int column] => _batch.Columns[column].GetValue(Index);

    /// <summary>The typed value, e.g. <c>row.Get&lt;long?&gt;("offset")</c>.</summary>
    public T Get<T>(string column) => _batch.Column<T>(column)[Index];

    public IReadOnlyDictionary<string, object?> ToDictionary()
    {
        Dictionary<string, object?> values = new(StringComparer.OrdinalIgnoreCase);
        foreach (var column in _batch.Columns)
        {
            values[column.Name] = column.GetValue(Index);
        }

        return values;
    }
}
