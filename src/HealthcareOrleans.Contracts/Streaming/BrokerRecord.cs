namespace HealthcareOrleans.Contracts.Streaming;

/// <summary>
/// One message as the broker delivered it, undecoded: the unit the stream carries. Decoding happens in the patient
/// grain so that the receiver stays cheap and a message that does not decode is still accounted for.
/// </summary>
/// <param name="Payload">The value bytes. Treated as immutable once received.</param>
/// <param name="DroppedPayloadBytes">Set when the payload was too large to keep (Bronze stored its size, not its
/// bytes): the original length. Such a record always decodes as <c>oversize</c>, wherever it is read back.</param>
[GenerateSerializer, Immutable, Alias("hc.broker-record")]
public sealed record BrokerRecord(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] long Offset,
    [property: Id(3)] DateTime AppendedAtUtc,
    [property: Id(4)] string? Key,
    [property: Id(5)] byte[] Payload,
    [property: Id(6)] int? DroppedPayloadBytes = null);
