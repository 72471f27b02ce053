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
    /// Adds a Kafka stream provider named <paramref name="name"/> that maps the patient-flow topic with
    /// <see cref="PatientFlowKafkaDataAdapter"/>: keyed messages to <see cref="PatientFlowStreams.PatientNamespace"/>,
    /// unkeyed ones to <see cref="PatientFlowStreams.UnkeyedNamespace"/>.
    /// </summary>
    public static ISiloBuilder AddKafkaPatientFlowStreams(this ISiloBuilder builder, string name, Action<KafkaStreamOptions> configure) =>
        builder.AddKafkaStreams(name, configure, provider => provider.UseDataAdapter((_, _) => new PatientFlowKafkaDataAdapter()));
}
