namespace HealthcareOrleans.Contracts.Streaming;

/// <summary>
/// The records of one broker partition taken in one read, in offset order: the unit the patient-flow partition streams
/// carry (<see cref="PatientFlowStreams.PartitionNamespace"/>). Immutable, so Orleans passes it between grains of a
/// silo without copying; the records are never changed once received.
/// </summary>
[GenerateSerializer, Immutable, Alias("hc.broker-record-batch")]
public sealed class BrokerRecordBatch
{
    public BrokerRecordBatch(BrokerRecord[] records, DateTime? readAtUtc = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        Records = records;
        ReadAtUtc = readAtUtc;
    }

    [Id(0)]
    public BrokerRecord[] Records { get; }

    /// <summary>When the receiver took the records from its read-ahead, for the latency of each stage; null when unknown.</summary>
    [Id(1)]
    public DateTime? ReadAtUtc { get; }

    public int Count => Records.Length;
}
