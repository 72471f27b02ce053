using HealthcareOrleans.Contracts.Streaming;

namespace HealthcareOrleans.Medallion.Bronze;

/// <summary>One buffered message and when this silo read it.</summary>
public readonly record struct BronzeRow(BrokerRecord Record, DateTimeOffset ReceivedAt)
{
    public long Offset => Record.Offset;
}
