namespace HealthcareOrleans.Warehouse.Model;

/// <summary>A dimension or a fact of the star schema.</summary>
public enum WarehouseTableKind
{
    Dimension,
    Fact,
}

/// <summary>
/// One table of the warehouse star schema, mirroring one Gold Delta table: the same name, columns and natural key.
/// A load makes the warehouse table equal to one Gold version of it (see <see cref="Loading.TableLoadResult"/>).
/// </summary>
/// <param name="Name">The table name, the same in Gold, Synapse (schema dw) and DuckDB (schema dw).</param>
/// <param name="GoldPath">The Gold Delta table, relative to the lake root.</param>
/// <param name="NaturalKey">The columns that identify a row in Gold; loads match rows on them.</param>
/// <param name="IsScd2">SCD Type 2 dimension: has valid_from, valid_to and is_current; versions close rather than change.</param>
public sealed record WarehouseTable(
    string Name,
    string GoldPath,
    WarehouseTableKind Kind,
    IReadOnlyList<string> NaturalKey,
    IReadOnlyList<WarehouseColumn> Columns,
    bool IsScd2 = false)
{
    /// <summary>The columns outside the natural key: what an update compares and sets.</summary>
    public IEnumerable<WarehouseColumn> ValueColumns => Columns.Where(c => !NaturalKey.Contains(c.Name, StringComparer.Ordinal));

    public WarehouseColumn Column(string name) =>
        Columns.FirstOrDefault(c => c.Name == name) ?? throw new KeyNotFoundException($"Warehouse table {Name} has no column '{name}'.");
}
