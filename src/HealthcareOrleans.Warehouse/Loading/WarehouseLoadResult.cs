namespace HealthcareOrleans.Warehouse.Loading;

/// <summary>One pass of a loader over the Gold tables.</summary>
/// <param name="Missing">Gold tables that do not exist yet (no flush has written them): nothing to load.</param>
public sealed record WarehouseLoadResult(IReadOnlyList<TableLoadResult> Tables, IReadOnlyList<string> Missing)
{
    public TableLoadResult this[string table] =>
        Tables.FirstOrDefault(t => t.Table == table) ?? throw new KeyNotFoundException($"The load did not cover table {table}.");

    public long RowsStaged => Tables.Sum(t => t.Staged);

    public bool Changed => Tables.Any(t => t.Changed);
}
