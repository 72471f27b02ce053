using HealthcareOrleans.Lake.Schema;

namespace HealthcareOrleans.Lake.Data;

/// <summary>
/// A batch of rows held column by column, the unit of appends and reads. All columns have the same length.
/// </summary>
public sealed class DeltaBatch
{
    private readonly Dictionary<string, int> _byName;

    public DeltaBatch(IEnumerable<DeltaColumn> columns)
    {
        Columns = columns.ToArray();
        _byName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        RowCount = Columns.Count == 0 ? 0 : Columns[0].Length;
        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i].Length != RowCount)
            {
                throw new DeltaSchemaException($"Column '{Columns[i].Name}' has {Columns[i].Length} values but '{Columns[0].Name}' has {RowCount}; all columns of a batch must have the same length.");
            }

            if (!_byName.TryAdd(Columns[i].Name, i))
            {
                throw new DeltaSchemaException($"The batch has the column '{Columns[i].Name}' twice (names are case-insensitive).");
            }
        }
    }

    public DeltaBatch(params DeltaColumn[] columns)
        : this((IEnumerable<DeltaColumn>)columns)
    {
    }

    public IReadOnlyList<DeltaColumn> Columns { get; }

    public int RowCount { get; }

    public IEnumerable<DeltaRow> Rows
    {
        get
        {
            for (var i = 0; i < RowCount; i++)
            {
                yield return new DeltaRow(this, i);
            }
        }
    }

    public DeltaRow Row(int index) => new(this, index);

    public bool HasColumn(string name) => _byName.ContainsKey(name);

    public DeltaColumn Column(string name) =>
        _byName.TryGetValue(name, out var i) ? Columns[i] : throw new KeyNotFoundException($"The batch has no column '{name}'.");

    /// <summary>The typed values of a column, e.g. <c>Column&lt;long?&gt;("offset")</c>.</summary>
    public T[] Column<T>(string name) => Column(name) switch
    {
        DeltaColumn<T> typed => typed.Values,
        var other => throw new InvalidCastException($"Column '{name}' is {other.Type}; read it as {other.Type.ClrType.Name}, not {typeof(T).Name}."),
    };

    public DeltaBatch Take(ReadOnlySpan<int> rows)
    {
        var taken = new DeltaColumn[Columns.Count];
        for (var i = 0; i < taken.Length; i++)
        {
            taken[i] = Columns[i].Take(rows);
        }

        return new DeltaBatch(taken);
    }

    /// <summary>The rows for which <paramref name="keep"/> is true.</summary>
    public DeltaBatch Where(Func<DeltaRow, bool> keep)
    {
        List<int> rows = [];
        for (var i = 0; i < RowCount; i++)
        {
            if (keep(new DeltaRow(this, i)))
            {
                rows.Add(i);
            }
        }

        return rows.Count == RowCount ? this : Take(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows));
    }

    /// <summary>Builds a batch from row dictionaries (convenient, boxes every value; fine for small Gold batches).</summary>
    public static DeltaBatch FromRows(DeltaSchema schema, IEnumerable<IReadOnlyDictionary<string, object?>> rows)
    {
        var list = rows as IReadOnlyList<IReadOnlyDictionary<string, object?>> ?? rows.ToList();
        var columns = new DeltaColumn[schema.Fields.Count];
        for (var c = 0; c < columns.Length; c++)
        {
            var field = schema.Fields[c];
            var values = new object?[list.Count];
            for (var r = 0; r < list.Count; r++)
            {
                values[r] = list[r].TryGetValue(field.Name, out var value) ? value : null;
            }

            columns[c] = DeltaColumn.FromValues(field.Name, field.Type, values);
        }

        return new DeltaBatch(columns);
    }

    /// <summary>Concatenates batches into one with the columns of <paramref name="schema"/> (absent columns become null).</summary>
    public static DeltaBatch Concat(DeltaSchema schema, IReadOnlyList<DeltaBatch> batches)
    {
        if (batches.Count == 1 && batches[0].Columns.Count == schema.Fields.Count
            && schema.Fields.Select((f, i) => batches[0].Columns[i].Name == f.Name && batches[0].Columns[i].Type.Equals(f.Type)).All(x => x))
        {
            return batches[0];
        }

        var columns = new DeltaColumn[schema.Fields.Count];
        for (var c = 0; c < columns.Length; c++)
        {
            var field = schema.Fields[c];
            var parts = batches
                .Select(b => b.HasColumn(field.Name) ? b.Column(field.Name) : DeltaColumn.Constant(field.Name, field.Type, null, b.RowCount))
                .ToList();
            columns[c] = DeltaColumn.Concat(field.Name, field.Type, parts);
        }

        return new DeltaBatch(columns);
    }
}
