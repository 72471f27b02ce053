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
    /// (<see cref="PatientFlowStreams.DefaultTopic"/> unless <paramref name="configure"/> names another) and maps it with
    /// the provider's keyed adapter: a keyed message to its patient's stream (<see cref="PatientFlowStreams.PatientNamespace"/>,
    /// the key is the patient id); an unkeyed one to its partition's stream (<see cref="PatientFlowStreams.UnkeyedNamespace"/>),
    /// where <c>UnkeyedMessageGrain</c> routes it by its payload. Routing unkeyed messages in the adapter would decode on
    /// the consume thread, and a message that does not decode would have no stream to be counted on.
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
            provider => provider.UseDataAdapter((_, _) => new KeyedStreamDataAdapter(PatientFlowStreams.PatientNamespace, PatientFlowStreams.UnkeyedNamespace)));
    }
}
