using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Streaming.Kafka.Hosting;
using HealthcareOrleans.Streaming.Kafka.Options;
using Orleans.Hosting;

namespace HealthcareOrleans.Grains.Streaming;

public static class KafkaPatientFlowSiloBuilderExtensions
{
    /// <summary>Adds the patient-flow stream provider (<see cref="PatientFlowStreams.ProviderName"/>) reading Kafka.</summary>
    public static ISiloBuilder AddKafkaPatientFlowStreams(this ISiloBuilder builder, Action<KafkaStreamOptions> configure) =>
        builder.AddKafkaPatientFlowStreams(PatientFlowStreams.ProviderName, configure);

    /// <summary>
    /// Adds a Kafka stream provider named <paramref name="name"/> that reads the patient-flow topic
    /// (<see cref="PatientFlowStreams.DefaultTopic"/> unless <paramref name="configure"/> names another) and maps it with
    /// <see cref="PatientFlowKafkaDataAdapter"/>: keyed messages to <see cref="PatientFlowStreams.PatientNamespace"/>,
    /// unkeyed ones to <see cref="PatientFlowStreams.UnkeyedNamespace"/>.
    /// </summary>
    public static ISiloBuilder AddKafkaPatientFlowStreams(this ISiloBuilder builder, string name, Action<KafkaStreamOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddKafkaStreams(
            name,
            options =>
            {
                options.Topic = PatientFlowStreams.DefaultTopic;
                configure(options);
            },
            provider => provider.UseDataAdapter((_, _) => new PatientFlowKafkaDataAdapter()));
    }
}
