namespace HealthcareOrleans.Contracts.Streaming;

/// <summary>Names the silo, the client and the stream provider agree on.</summary>
public static class PatientFlowStreams
{
    public const string ProviderName = "patient-flow";

    /// <summary>Keyed messages: the stream key is the Kafka key, the patient id.</summary>
    public const string PatientNamespace = "patient-flow";

    /// <summary>Messages without a key: one stream per partition, decoded and routed to the patient by the payload.</summary>
    public const string UnkeyedNamespace = "patient-flow-unkeyed";

    public const string DefaultTopic = "patient-flow";
}
