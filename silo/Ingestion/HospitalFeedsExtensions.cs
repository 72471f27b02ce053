using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HealthcareOrleans.Silo.Ingestion;

public static class HospitalFeedsExtensions
{
    /// <summary>
    /// The silo's inputs from hospital systems: <see cref="IBrokerIngress"/> (the topic, confirmed by the broker), on
    /// which the feeds build.
    /// </summary>
    public static WebApplicationBuilder AddHospitalFeeds(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<IngressOptions>(builder.Configuration.GetSection(IngressOptions.Section));
        builder.Services.TryAddSingleton<IBrokerIngress, KafkaBrokerIngress>();
        return builder;
    }
}
