using HealthcareOrleans.Grains.Streaming;
using HealthcareOrleans.Streaming.EventHubs.Hosting;
using HealthcareOrleans.Streaming.EventHubs.Options;

namespace HealthcareOrleans.Silo.Hosting;

/// <summary>
/// Chooses how the patient-flow events come in: over AMQP from Azure Event Hubs when the <c>EventHubs</c> section names
/// a hub (every tier, Basic included), otherwise through the Kafka provider (the embedded broker, any Kafka, or Event
/// Hubs' Kafka endpoint on Standard and above).
/// </summary>
public static class EventHubsIngestion
{
    /// <summary>Configured when the section sets a hub, or a namespace or connection string to read it from.</summary>
    public static bool IsConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(EventHubsIngestionOptions.SectionName);
        return !string.IsNullOrWhiteSpace(section[nameof(EventHubsIngestionOptions.EventHub)])
            || !string.IsNullOrWhiteSpace(section[nameof(EventHubsIngestionOptions.FullyQualifiedNamespace)])
            || !string.IsNullOrWhiteSpace(section[nameof(EventHubsIngestionOptions.ConnectionString)]);
    }

    /// <summary>The patient-flow stream provider: Event Hubs over AMQP when configured (options checked at start), else Kafka.</summary>
    public static ISiloBuilder AddPatientFlowIngestion(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (IsConfigured(configuration))
        {
            var section = configuration.GetSection(EventHubsIngestionOptions.SectionName);
            return silo.AddEventHubsPatientFlowStreams(options => section.Bind(options));
        }

        return silo.AddKafkaPatientFlowStreams();
    }
}
