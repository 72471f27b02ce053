using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Streaming.Kafka.DataAdapters;
using HealthcareOrleans.Streaming.Kafka.Hosting;
using HealthcareOrleans.Streaming.Kafka.Options;
using Orleans.Hosting;

namespace HealthcareOrleans.Grains.Streaming;

public static class KafkaPatientFlowSiloBuilderExtensions
{
    /// <summary>
    /// Adds the patient-flow stream provider (<see cref="PatientFlowStreams.ProviderName"/>) reading Kafka. Its
    /// <see cref="KafkaStreamOptions"/> (named like the provider) come from <paramref name="configure"/> and whatever else
    /// configures them (a host binds its <c>Kafka</c> section); they are validated when the silo starts.
    /// </summary>
    public static ISiloBuilder AddKafkaPatientFlowStreams(this ISiloBuilder builder, Action<KafkaStreamOptions>? configure = null) =>
        builder.AddKafkaPatientFlowStreams(PatientFlowStreams.ProviderName, configure);

    /// <summary>
    /// Adds a Kafka stream provider named <paramref name="name"/> that reads the patient-flow topic
    /// (<see cref="PatientFlowStreams.DefaultTopic"/> unless <paramref name="configure"/> names another) into one stream
    /// per partition (<see cref="PatientFlowStreams.PartitionNamespace"/>), a read per delivery; its consumer,
    /// <c>PartitionDeliveryGrain</c>, makes one call per patient of the read and routes unkeyed messages by their payload
    /// (there, not on the consume thread, so that a message that does not decode is counted where the others are).
    /// </summary>
    public static ISiloBuilder AddKafkaPatientFlowStreams(this ISiloBuilder builder, string name, Action<KafkaStreamOptions>? configure = null)
    {
        return builder.AddKafkaStreams(
            name,
            options =>
            {
                // Only when nothing configured a topic: a host's binding may run before or after this.
                if (string.IsNullOrWhiteSpace(options.Topic))
                {
                    options.Topic = PatientFlowStreams.DefaultTopic;
                }

                configure?.Invoke(options);
            },
            provider => provider.UseDataAdapter((_, _) => new PartitionStreamDataAdapter(PatientFlowStreams.PartitionNamespace)));
    }
}
