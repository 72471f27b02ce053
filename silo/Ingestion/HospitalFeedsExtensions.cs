using HealthcareOrleans.Silo.Configuration;
using HealthcareOrleans.Silo.Ingestion.Mllp;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HealthcareOrleans.Silo.Ingestion;

public static class HospitalFeedsExtensions
{
    /// <summary>
    /// The silo's inputs from hospital systems: <see cref="IBrokerIngress"/> (the topic, confirmed by the broker) and,
    /// on it, the HL7 v2 MLLP listener (<c>Hl7:MllpPort</c>; on by default in the embedded profile).
    /// </summary>
    public static WebApplicationBuilder AddHospitalFeeds(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<IngressOptions>().Bind(builder.Configuration.GetSection(IngressOptions.Section)).ValidateOnStart();
        services.TryAddSingleton<IBrokerIngress, KafkaBrokerIngress>();

        var embedded = EngineSettings.From(builder.Configuration).Profile == EngineProfile.Embedded;
        services.AddOptions<Hl7Options>()
            .Bind(builder.Configuration.GetSection(Hl7Options.Section))
            .PostConfigure(o =>
            {
                if (o.MllpPort is null && embedded)
                {
                    o.MllpPort = Hl7Options.EmbeddedDefaultPort;
                    o.FallBackToFreePort = true;
                }
            })
            .Validate(o => o.MllpPort is null or (>= 0 and <= 65535) && o.MaxFrameBytes > 0 && o.MaxConnections > 0
                && System.Net.IPAddress.TryParse(o.MllpAddress, out _),
                "Hl7:MllpPort must be 0-65535, Hl7:MllpAddress an IP address, Hl7:MaxFrameBytes and Hl7:MaxConnections positive.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Hl7MessageIntake>();
        services.AddSingleton<MllpListener>();
        services.AddHostedService(sp => sp.GetRequiredService<MllpListener>());
        return builder;
    }
}
