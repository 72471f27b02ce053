namespace HealthcareOrleans.Contracts.Streaming;

/// <summary>
/// The records of one broker partition taken in one read, in offset order: the unit the patient-flow partition streams
/// carry (<see cref="PatientFlowStreams.PartitionNamespace"/>). Immutable, so Orleans passes it between grains of a
/// silo without copying; the records are never changed once received.
/// </summary>
[GenerateSerializer, Immutable, Alias("hc.broker-record-batch")]
public sealed class BrokerRecordBatch
{
    public BrokerRecordBatch(BrokerRecord[] records)
    {
        ArgumentNullException.ThrowIfNull(records);
        Records = records;
    }

    [Id(0)]
    public BrokerRecord[] Records { get; }

    public int Count => Records.Length;
}
