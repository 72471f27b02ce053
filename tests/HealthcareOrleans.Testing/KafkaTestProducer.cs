using Confluent.Kafka;
using HealthcareOrleans.Contracts.Streaming;

namespace HealthcareOrleans.Testing;

/// <summary>Produces messages and returns each one as the broker stored it: partition, offset and append time.</summary>
public static class KafkaTestProducer
{
    public static async Task<List<BrokerRecord>> ProduceAsync(string bootstrapServers, string topic, IEnumerable<(string? Key, byte[] Value)> messages)
    {
        using var producer = new ProducerBuilder<string?, byte[]>(new ProducerConfig { BootstrapServers = bootstrapServers, LingerMs = 2, EnableIdempotence = true }).Build();
        // Stamped here, in whole milliseconds as Kafka keeps it, so a reference replay sees the append time the
        // receivers see: the broker keeps a producer's create time.
        var stamp = DateTime.UnixEpoch.AddMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var sent = messages.Select(m => producer.ProduceAsync(topic, new Message<string?, byte[]>
        {
            Key = m.Key,
            Value = m.Value,
            Timestamp = new Timestamp(stamp, TimestampType.CreateTime),
        })).ToList();
        var results = await Task.WhenAll(sent);
        return [.. results.Select(r => new BrokerRecord(topic, r.Partition.Value, r.Offset.Value, stamp, r.Message.Key, r.Message.Value))];
    }
}
