namespace HealthcareOrleans.Warehouse.Loading;

/// <summary>What a warehouse table equals, from its newest load-log row: a Gold Delta table (metaData id) at a version.</summary>
public sealed record LoadedVersion(string DeltaTableId, long Version)
{
    /// <summary>
    /// True when <paramref name="gold"/> is already loaded (or an older version of the same table is offered), so a
    /// load must change nothing. Another table id means the lake was rebuilt: its version numbers start over.
    /// </summary>
    public bool Covers(GoldTableVersion gold) => DeltaTableId == gold.DeltaTableId && Version >= gold.Version;
}
