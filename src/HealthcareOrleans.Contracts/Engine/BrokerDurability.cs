namespace HealthcareOrleans.Contracts.Engine;

/// <summary>
/// What a broker acknowledgement is worth in the running profile, stated in <c>hc status</c> and <c>/api/status</c>
/// so nobody takes the embedded profile for a durable one.
/// </summary>
[GenerateSerializer, Immutable, Alias("hc.broker-durability")]
public sealed record BrokerDurability([property: Id(0)] bool Durable, [property: Id(1)] string Statement)
{
    /// <summary>The in-process broker: its log is memory of this process.</summary>
    public static BrokerDurability Embedded { get; } = new(false,
        "embedded in-memory broker: NOT durable. A broker acknowledgement (to any producer) means the message is in this process's memory. " +
        "On kill -9, a crash or power loss, acknowledged messages Bronze has not committed yet (up to Lake:BronzeFlushInterval, 5 s by default, of input) are lost with the process; " +
        "a graceful stop (SIGTERM, Ctrl-C) commits them first. For durable ingestion run Profile=kafka with a real Kafka broker or Event Hubs.");

    /// <summary>An external Kafka-protocol broker: its log outlives this process.</summary>
    public static BrokerDurability External { get; } = new(true,
        "external Kafka-protocol broker: durable. Acknowledged messages stay in the broker's log (its replication and retention apply) " +
        "and are read again from the last checkpoint after any crash; Bronze holds every offset it accepted exactly once.");
}
