namespace HealthcareOrleans.Streaming.Kafka.Checkpointing;

/// <summary>
/// Where a partition's receiver resumes: the next offset to read, per provider, topic and partition. Register one
/// keyed by the stream provider's name to replace the default (in memory, or a local file when
/// <c>KafkaStreamOptions.CheckpointDirectory</c> is set); the lake will register one that reads Bronze's commits.
/// </summary>
public interface IPartitionCheckpointStore
{
    /// <returns>The next offset to read, or <see langword="null"/> when the partition was never checkpointed.</returns>
    ValueTask<long?> LoadAsync(PartitionCheckpointKey key, CancellationToken cancellationToken);

    /// <summary>Durably records <paramref name="nextOffset"/> (one past the last message every consumer has processed).</summary>
    ValueTask SaveAsync(PartitionCheckpointKey key, long nextOffset, CancellationToken cancellationToken);
}
