namespace HealthcareOrleans.PatientFlow.Silver;

/// <summary>
/// Where an event came from in the broker. Orders events that share an event time the way the producer sent them;
/// <see cref="Part"/> separates the events one message yields (a flat admission record, a FHIR Bundle), in message order.
/// </summary>
[GenerateSerializer, Immutable, Alias("hc.broker-position")]
public readonly record struct BrokerPosition(
    [property: Id(0)] int Partition,
    [property: Id(1)] long Offset,
    [property: Id(2)] int Part)
{
    public int CompareTo(BrokerPosition other)
    {
        var byPartition = Partition.CompareTo(other.Partition);
        if (byPartition != 0)
        {
            return byPartition;
        }

        var byOffset = Offset.CompareTo(other.Offset);
        return byOffset != 0 ? byOffset : Part.CompareTo(other.Part);
    }
}
