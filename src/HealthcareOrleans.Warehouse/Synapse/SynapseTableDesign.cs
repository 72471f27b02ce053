using HealthcareOrleans.Warehouse.Model;

namespace HealthcareOrleans.Warehouse.Synapse;

/// <summary>
/// The dedicated-pool distribution of each table, as sql/synapse/create_star_schema.sql declares it (a test checks
/// the two agree): facts HASH on their best join key, dimensions REPLICATE. Staging tables follow their target so the
/// load's joins stay inside each distribution.
/// </summary>
public static class SynapseTableDesign
{
    private static readonly Dictionary<string, string> HashColumns = new(StringComparer.Ordinal)
    {
        [WarehouseSchema.FactEncounter.Name] = "encounter_id",
        [WarehouseSchema.FactWardStay.Name] = "encounter_id",
        [WarehouseSchema.FactWardCensusHourly.Name] = "hour_key",
    };

    /// <summary>The HASH distribution column, or null for a replicated dimension.</summary>
    public static string? DistributionColumn(WarehouseTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return HashColumns.GetValueOrDefault(table.Name);
    }
}
