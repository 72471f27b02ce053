using HealthcareOrleans.Contracts.Streaming;

namespace HealthcareOrleans.Streaming.Kafka.Tap;

/// <summary>
/// Optional, registered keyed by the stream provider's name: hands one record straight to the grain that consumes its
/// stream. When a silo dies, the grains it hosted lose what they had not saved, including records that receivers on
/// other silos had already delivered to them; those receivers hand their recent records over again through this
/// (consumers deduplicate by event id), because the stream itself never delivers a passed record twice.
/// </summary>
public interface IRecordRedelivery
{
    Task RedeliverAsync(BrokerRecord record, CancellationToken cancellationToken);
}
