using HealthcareOrleans.Medallion.Flush;
using HealthcareOrleans.Medallion.Lake;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace HealthcareOrleans.Grains.Flush;

public static class LakeLayerFlusherRegistration
{
    /// <summary>
    /// Registers <typeparamref name="TFlusher"/> as the flusher of <paramref name="layer"/>: the layer's
    /// <see cref="LakeFlushGrain"/> creates one per activation and runs it every <paramref name="interval"/> (read from
    /// <see cref="LakeOptions"/>, e.g. <c>o =&gt; o.GoldFlushInterval</c>). Call on every silo.
    /// </summary>
    public static IServiceCollection AddLakeLayerFlusher<TFlusher>(this IServiceCollection services, string layer, Func<LakeOptions, TimeSpan> interval)
        where TFlusher : class, ILakeLayerFlusher
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(layer);
        ArgumentNullException.ThrowIfNull(interval);
        var schedule = new LakeLayerSchedule(layer, interval);
        services.AddKeyedTransient<ILakeLayerFlusher, TFlusher>(layer);
        services.AddKeyedSingleton(layer, schedule);
        services.AddSingleton(schedule);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, LakeScheduleKeeper>());
        return services;
    }
}
