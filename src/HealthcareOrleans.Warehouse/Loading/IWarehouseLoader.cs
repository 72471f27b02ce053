using HealthcareOrleans.Lake.Storage;

namespace HealthcareOrleans.Warehouse.Loading;

/// <summary>
/// Brings the warehouse star schema up to the latest Gold Delta versions. Idempotent per table (ARCHITECTURE.md
/// guarantee 6): a table whose Gold version is already recorded in the load log is not touched.
/// </summary>
public interface IWarehouseLoader
{
    /// <summary>"duckdb" or "synapse", for logs and the load log's load_path.</summary>
    string Kind { get; }

    /// <summary>Creates the schema where the loader owns it (DuckDB), or checks that it exists (Synapse).</summary>
    Task EnsureSchemaAsync(CancellationToken cancellationToken = default);

    /// <summary>Loads every Gold table whose latest version is not yet in the warehouse.</summary>
    Task<WarehouseLoadResult> LoadAsync(ILakeStorage lake, CancellationToken cancellationToken = default);
}
