using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Medallion.Gold;

namespace HealthcareOrleans.Warehouse.Tests.Infrastructure;

/// <summary>A row of a Gold table by column name; values are what the Lake library stores (long, int, DateTimeOffset, DateOnly...).</summary>
public sealed class GoldRow : Dictionary<string, object?>
{
    public GoldRow()
        : base(StringComparer.Ordinal)
    {
    }
}

/// <summary>
/// Gold Delta tables in a temporary lake, created from GoldSchemas (the real definitions) and written with the Lake
/// library, so the loader reads exactly what the flush grains write: same schema, same Parquet encoding.
/// </summary>
public sealed class GoldLake(ILakeStorage storage)
{
    public ILakeStorage Storage { get; } = storage;

    public static IReadOnlyDictionary<string, DeltaTableDefinition> Definitions { get; } = new Dictionary<string, DeltaTableDefinition>
    {
        ["dim_patient"] = GoldSchemas.DimPatient.Definition,
        ["dim_ward"] = GoldSchemas.DimWard.Definition,
        ["dim_date"] = GoldSchemas.DimDate.Definition,
        ["fact_ward_stay"] = GoldSchemas.FactWardStay.Definition,
        ["fact_encounter"] = GoldSchemas.FactEncounter.Definition,
        ["fact_ward_census_hourly"] = GoldSchemas.FactWardCensusHourly.Definition,
    };

    public static IReadOnlyDictionary<string, string> Paths { get; } = new Dictionary<string, string>
    {
        ["dim_patient"] = GoldSchemas.DimPatient.Path,
        ["dim_ward"] = GoldSchemas.DimWard.Path,
        ["dim_date"] = GoldSchemas.DimDate.Path,
        ["fact_ward_stay"] = GoldSchemas.FactWardStay.Path,
        ["fact_encounter"] = GoldSchemas.FactEncounter.Path,
        ["fact_ward_census_hourly"] = GoldSchemas.FactWardCensusHourly.Path,
    };

    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Keys { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        ["dim_patient"] = GoldSchemas.DimPatient.NaturalKey,
        ["dim_ward"] = GoldSchemas.DimWard.NaturalKey,
        ["dim_date"] = GoldSchemas.DimDate.NaturalKey,
        ["fact_ward_stay"] = GoldSchemas.FactWardStay.NaturalKey,
        ["fact_encounter"] = GoldSchemas.FactEncounter.NaturalKey,
        ["fact_ward_census_hourly"] = GoldSchemas.FactWardCensusHourly.NaturalKey,
    };

    public Task<DeltaTable> OpenAsync(string table) =>
        DeltaTable.OpenOrCreateAsync(Storage, Paths[table], Definitions[table]);

    /// <summary>Appends rows as one commit (one more data file).</summary>
    public async Task<long> AppendAsync(string table, IReadOnlyList<GoldRow> rows)
    {
        var delta = await OpenAsync(table);
        return (await delta.AppendAsync(Batch(table, rows))).Version;
    }

    /// <summary>Upserts on the natural key, as the Gold writer does for the hospital-wide tables.</summary>
    public async Task<long> UpsertAsync(string table, IReadOnlyList<GoldRow> rows)
    {
        var delta = await OpenAsync(table);
        return (await delta.UpsertAsync(Batch(table, rows), Keys[table])).Version;
    }

    public async Task<long> DeleteAsync(string table, Func<DeltaRow, bool> predicate)
    {
        var delta = await OpenAsync(table);
        return (await delta.DeleteWhereAsync(predicate)).Version;
    }

    public async Task<long> RowCountAsync(string table) => (await (await OpenAsync(table)).ReadAsync()).RowCount;

    /// <summary>A batch with every column of the Gold schema, in its order, from rows keyed by column name.</summary>
    public static DeltaBatch Batch(string table, IReadOnlyList<GoldRow> rows)
    {
        var schema = Definitions[table].Schema;
        var missing = schema.Fields.Select(f => f.Name).Where(n => rows.Any(r => !r.ContainsKey(n))).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"Test rows of {table} lack Gold columns: {string.Join(", ", missing)}.", nameof(rows));
        }

        return new DeltaBatch(schema.Fields.Select(f => DeltaColumn.FromValues(f.Name, f.Type, rows.Select(r => r[f.Name]).ToList())));
    }
}
