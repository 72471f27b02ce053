using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Warehouse.DuckDb;
using HealthcareOrleans.Warehouse.Loading;
using HealthcareOrleans.Warehouse.Synapse;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Warehouse.Hosting;

/// <summary>The one entry point for hosts: registers the configured loader and the sync service.</summary>
public static class WarehouseServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="WarehouseOptions"/> from the "Warehouse" section (validated at start), registers the loader of
    /// Warehouse:Kind as <see cref="IWarehouseLoader"/> and <see cref="WarehouseSyncService"/> as a hosted service.
    /// <paramref name="lake"/> supplies the lake the Gold tables live in (the host's own lake storage).
    /// </summary>
    public static IServiceCollection AddHealthcareWarehouse(this IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, ILakeStorage> lake)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(lake);
        services.AddOptions<WarehouseOptions>().Bind(configuration.GetSection(WarehouseOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WarehouseOptions>, WarehouseOptionsValidator>();
        var kind = configuration.GetSection(WarehouseOptions.SectionName).GetValue(nameof(WarehouseOptions.Kind), WarehouseKind.DuckDb);
        if (kind == WarehouseKind.None)
        {
            return services;
        }

        services.AddSingleton<IWarehouseLoader>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<WarehouseOptions>>().Value;
            var loggers = sp.GetRequiredService<ILoggerFactory>();
            return options.Kind == WarehouseKind.Synapse
                ? new SynapseWarehouseLoader(options.Synapse, new SynapseConnectionFactory(options.Synapse), loggers.CreateLogger<SynapseWarehouseLoader>())
                : new DuckDbWarehouseLoader(string.IsNullOrWhiteSpace(options.DuckDbPath) ? DuckDbWarehouse.DefaultPath() : options.DuckDbPath, loggers.CreateLogger<DuckDbWarehouseLoader>());
        });
        services.AddSingleton(sp => new WarehouseSyncService(
            sp.GetRequiredService<IWarehouseLoader>(), lake(sp), sp.GetRequiredService<IOptions<WarehouseOptions>>(), sp.GetRequiredService<ILogger<WarehouseSyncService>>()));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<WarehouseSyncService>());
        return services;
    }
}
