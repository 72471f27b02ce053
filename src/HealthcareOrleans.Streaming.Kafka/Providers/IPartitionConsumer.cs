using Confluent.Kafka;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Streaming.Kafka.Diagnostics;

namespace HealthcareOrleans.Streaming.Kafka.Providers;

/// <summary>One receiver's broker client for its partition (<see cref="KafkaPartitionConsumer"/>).</summary>
internal interface IPartitionConsumer : IDisposable
{
    /// <summary>The partition's first and next offsets, asked of the broker (blocks on the network).</summary>
    WatermarkOffsets QueryWatermarkOffsets(TimeSpan timeout);

    /// <summary>Records <paramref name="nextOffset"/> with the broker, for tools that show consumer progress.</summary>
    void Commit(long nextOffset);

    /// <summary>The reader of the partition through this client; <paramref name="tap"/> sees every record as read.</summary>
    IPartitionReader CreateReader(PartitionTracker tracker, Action<BrokerRecord>? tap);

    /// <summary>Leaves the broker cleanly; <see cref="IDisposable.Dispose"/> follows.</summary>
    void Close();
}
