using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.Lake.Schema;

namespace HealthcareOrleans.Medallion.Gold;

/// <summary>One column of a Gold table and how a row supplies its value: the schema and the writer read the same list.</summary>
public sealed record GoldColumn<TRow>(DeltaField Field, Func<TRow, object?> Value);

/// <summary>A Gold table: where it lives, its columns, its natural key, and how rows of <typeparamref name="TRow"/> become a batch.</summary>
public sealed class GoldTable<TRow>
{
    public GoldTable(string path, string description, IReadOnlyList<string> naturalKey, IReadOnlyList<GoldColumn<TRow>> columns)
    {
        Path = path;
        NaturalKey = naturalKey;
        Columns = columns;
        Definition = new DeltaTableDefinition
        {
            Schema = new DeltaSchema(columns.Select(c => c.Field)),
            Name = path[(path.LastIndexOf('/') + 1)..],
            Description = description,
        };
    }

    public string Path { get; }

    public IReadOnlyList<string> NaturalKey { get; }

    public IReadOnlyList<GoldColumn<TRow>> Columns { get; }

    public DeltaTableDefinition Definition { get; }

    public DeltaBatch ToBatch(IReadOnlyList<TRow> rows)
    {
        var columns = new DeltaColumn[Columns.Count];
        var values = new object?[rows.Count];
        for (var c = 0; c < Columns.Count; c++)
        {
            var column = Columns[c];
            for (var r = 0; r < rows.Count; r++)
            {
                values[r] = column.Value(rows[r]);
            }

            columns[c] = DeltaColumn.FromValues(column.Field.Name, column.Field.Type, values);
        }

        return new DeltaBatch(columns);
    }
}
