namespace HealthcareOrleans.Warehouse.Loading;

/// <summary>What loading one Gold table version did to its warehouse table.</summary>
/// <param name="Skipped">The version was already loaded: nothing changed.</param>
/// <param name="Staged">Rows of the Gold version read into staging.</param>
/// <param name="Closed">SCD2 versions that were current and are now closed (a subset of the changed rows, counted apart).</param>
/// <param name="Updated">Other rows whose values changed (same natural key).</param>
/// <param name="Deleted">Rows the Gold version no longer has (a cancelled admission's stay, a version a late event merged away).</param>
public sealed record TableLoadResult(
    string Table,
    long GoldVersion,
    bool Skipped,
    long Staged,
    long Inserted,
    long Updated,
    long Closed,
    long Deleted,
    TimeSpan Duration)
{
    public static TableLoadResult Unchanged(string table, long version) => new(table, version, true, 0, 0, 0, 0, 0, TimeSpan.Zero);

    public bool Changed => Inserted + Updated + Closed + Deleted > 0;
}
