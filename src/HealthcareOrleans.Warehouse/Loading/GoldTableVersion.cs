using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Log;
using HealthcareOrleans.Warehouse.Model;

namespace HealthcareOrleans.Warehouse.Loading;

/// <summary>One Gold Delta table at the version a load brings the warehouse to.</summary>
/// <param name="Delta">The opened table, to read <paramref name="Snapshot"/>'s files through the lake library.</param>
public sealed record GoldTableVersion(WarehouseTable Table, DeltaTable Delta, DeltaSnapshot Snapshot)
{
    /// <summary>metaData.id: which Delta table this is. A lake deleted and rebuilt starts again at version 0 with a new id.</summary>
    public string DeltaTableId => Snapshot.Metadata.Id;

    public long Version => Snapshot.Version;

    /// <summary>The active data files in a stable order (by path), as add.path relative to the table root.</summary>
    public IReadOnlyList<AddFile> Files { get; } = [.. Snapshot.ActiveFiles.OrderBy(f => f.Path, StringComparer.Ordinal)];
}
