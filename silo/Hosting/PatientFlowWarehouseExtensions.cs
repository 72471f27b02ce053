using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Silo.Configuration;
using HealthcareOrleans.Warehouse.Hosting;

namespace HealthcareOrleans.Silo.Hosting;

public static class PatientFlowWarehouseExtensions
{
    /// <summary>
    /// The warehouse follows the Gold tables: each new Gold version is loaded once (DuckDB by default, or Synapse),
    /// from the silo's own lake. Without <c>Warehouse:DuckDbPath</c> the DuckDB file is warehouse.duckdb in the data folder.
    /// </summary>
    public static WebApplicationBuilder AddPatientFlowWarehouse(this WebApplicationBuilder builder, EngineSettings engine)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(engine);
        builder.Services.AddHealthcareWarehouse(builder.Configuration, sp => sp.GetRequiredService<ILakeStorage>());
        builder.Services.PostConfigure<WarehouseOptions>(o =>
        {
            if (string.IsNullOrWhiteSpace(o.DuckDbPath))
            {
                o.DuckDbPath = Path.Combine(engine.DataDirectory, "warehouse.duckdb");
            }
        });
        return builder;
    }
}
