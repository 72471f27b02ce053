using Confluent.Kafka;
using Orleans.Streams;

namespace HealthcareOrleans.Streaming.Kafka.Providers;

/// <summary>Reads one assigned partition ahead of the pulling agent (<see cref="KafkaPartitionReader"/>).</summary>
internal interface IPartitionReader : IAsyncDisposable
{
    /// <summary>Messages read and waiting for the pulling agent.</summary>
    int Buffered { get; }

    void Start(Offset startOffset);

    /// <summary>Up to <paramref name="maxCount"/> batch containers; waits up to <paramref name="maxWait"/> when none is buffered.</summary>
    Task<IList<IBatchContainer>> ReadAsync(int maxCount, TimeSpan maxWait, CancellationToken cancellationToken);

    /// <summary>Stops reading and waits until the partition is no longer read.</summary>
    Task StopAsync();
}
