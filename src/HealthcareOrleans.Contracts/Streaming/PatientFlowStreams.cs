namespace HealthcareOrleans.Contracts.Streaming;

/// <summary>Names the silo, the client and the stream provider agree on.</summary>
public static class PatientFlowStreams
{
    public const string ProviderName = "patient-flow";

    /// <summary>Keyed messages: the stream key is the Kafka key, the patient id.</summary>
    public const string PatientNamespace = "patient-flow";

    /// <summary>Messages without a key: one stream per partition, decoded and routed to the patient by the payload.</summary>
    public const string UnkeyedNamespace = "patient-flow-unkeyed";

    /// <summary>
    /// One stream per broker partition (the key is the partition number) carrying <see cref="BrokerRecordBatch"/>es: its
    /// consumer groups each batch by patient and makes one call per patient, so the cost of a delivery is paid per batch.
    /// </summary>
    public const string PartitionNamespace = "patient-flow-partition";

    public const string DefaultTopic = "patient-flow";
}
