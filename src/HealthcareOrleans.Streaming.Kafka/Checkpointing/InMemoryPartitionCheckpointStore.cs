using System.Collections.Concurrent;

namespace HealthcareOrleans.Streaming.Kafka.Checkpointing;

/// <summary>
/// Checkpoints that live as long as the silo process. Right for the embedded broker, whose messages die with the
/// process too; wrong for any broker that outlives the silo (use the file store or Bronze there).
/// </summary>
public sealed class InMemoryPartitionCheckpointStore : IPartitionCheckpointStore
{
    private readonly ConcurrentDictionary<PartitionCheckpointKey, long> _offsets = new();

    public ValueTask<long?> LoadAsync(PartitionCheckpointKey key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_offsets.TryGetValue(key, out var offset) ? offset : (long?)null);

    public ValueTask SaveAsync(PartitionCheckpointKey key, long nextOffset, CancellationToken cancellationToken)
    {
        _offsets[key] = nextOffset;
        return ValueTask.CompletedTask;
    }
}
