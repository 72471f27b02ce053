using HealthcareOrleans.Grains.Gold;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Medallion.Gold;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HealthcareOrleans.Grains.Hosting;

public static class GoldSiloBuilderExtensions
{
    /// <summary>
    /// What the Gold flush needs on every silo: the changed-patient tracker the patient grains mark, the per-silo grain
    /// service that hands it over, and the feed and row source <see cref="GoldFlusher"/> is built from. The flusher itself
    /// is scheduled by the lake flush host: <c>services.AddLakeLayerFlusher&lt;GoldFlusher&gt;(LakeLayers.Gold, o =&gt; o.GoldFlushInterval)</c>;
    /// it needs an <c>ILakeStorage</c> registered by the lake set-up.
    /// </summary>
    public static ISiloBuilder AddGoldLayer(this ISiloBuilder silo)
    {
        silo.AddGrainService<GoldChangeService>();
        var services = silo.Services;
        services.TryAddSingleton<GoldChangeTracker>();
        services.TryAddSingleton<IGoldChangeServiceClient, GoldChangeServiceClient>();
        services.TryAddSingleton<SiloGoldChangeFeed>();
        services.TryAddSingleton<IGoldChangeFeed>(sp => new SilverProgressChangeFeed(sp.GetRequiredService<SiloGoldChangeFeed>(), sp.GetRequiredService<ILakeStorage>()));
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, GoldShutdownFlush>();
        services.TryAddSingleton<IGoldRowSource, PatientGrainGoldRowSource>();
        services.TryAddSingleton(TimeProvider.System);
        return silo;
    }
}
