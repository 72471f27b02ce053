using HealthcareOrleans.Warehouse.Synapse;

namespace HealthcareOrleans.Warehouse.Hosting;

/// <summary>Which warehouse the Gold tables are loaded into.</summary>
public enum WarehouseKind
{
    /// <summary>The embedded default: a DuckDB file ($HC_DATA_DIR/warehouse.duckdb).</summary>
    DuckDb,

    /// <summary>An Azure Synapse dedicated SQL pool (Warehouse:Synapse).</summary>
    Synapse,

    /// <summary>No warehouse: the sync service does not start.</summary>
    None,
}

/// <summary>The warehouse (configuration section "Warehouse").</summary>
public sealed class WarehouseOptions
{
    public const string SectionName = "Warehouse";

    public WarehouseKind Kind { get; set; } = WarehouseKind.DuckDb;

    /// <summary>How often the sync service compares the Gold tables' Delta versions with the warehouse.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The DuckDB file; empty means $HC_DATA_DIR/warehouse.duckdb (HC_DATA_DIR defaults to ./data).</summary>
    public string? DuckDbPath { get; set; }

    public SynapseOptions Synapse { get; set; } = new();
}
