using Confluent.Kafka;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Streaming.Kafka.DataAdapters;
using HealthcareOrleans.Streaming.Kafka.Providers;

namespace HealthcareOrleans.Grains.Streaming;

/// <summary>
/// The patient-flow topic in Orleans: a keyed message goes to its patient's stream
/// (<see cref="PatientFlowStreams.PatientNamespace"/>, the key is the patient id); an unkeyed one to one stream per
/// partition (<see cref="PatientFlowStreams.UnkeyedNamespace"/>), where <see cref="Patients.UnkeyedMessageGrain"/>
/// routes it by its payload. Routing unkeyed messages here would decode on the consume thread, and a message that
/// does not decode would have no stream to be counted on.
/// </summary>
public sealed class PatientFlowKafkaDataAdapter : IKafkaDataAdapter
{
    private readonly KeyedStreamDataAdapter _streams = new(PatientFlowStreams.PatientNamespace, PatientFlowStreams.UnkeyedNamespace);

    public KafkaBatchContainer ToBatch(ConsumeResult<string?, byte[]?> consumed) => _streams.ToBatch(consumed);
}
