using System.Collections.Concurrent;

namespace HealthcareOrleans.Streaming.Kafka.Checkpointing;

/// <summary>
/// Checkpoints that live as long as the silo process. Right for the embedded broker, whose messages die with the
/// process too; wrong for any broker that outlives the silo (use the file store or Bronze there). Several silos in one
/// process (a development host, the tests) may share one instance: its partition leases then make a partition's next
/// owner wait for the previous owner's final checkpoint, as a shared store does between processes.
/// </summary>
public sealed class InMemoryPartitionCheckpointStore(TimeProvider? clock = null) : IPartitionCheckpointStore, IPartitionOwnershipStore
{
    private readonly ConcurrentDictionary<PartitionCheckpointKey, long> _offsets = new();
    private readonly Dictionary<PartitionCheckpointKey, (string Owner, DateTimeOffset Until)> _leases = [];
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public ValueTask<long?> LoadAsync(PartitionCheckpointKey key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_offsets.TryGetValue(key, out var offset) ? offset : (long?)null);

    public ValueTask SaveAsync(PartitionCheckpointKey key, long nextOffset, CancellationToken cancellationToken)
    {
        _offsets[key] = nextOffset;
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> TryAcquireAsync(PartitionCheckpointKey key, string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        lock (_leases)
        {
            var now = _clock.GetUtcNow();
            if (_leases.TryGetValue(key, out var held) && held.Owner != owner && held.Until > now)
            {
                return ValueTask.FromResult(false);
            }

            _leases[key] = (owner, now + lease);
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<string?> GetHolderAsync(PartitionCheckpointKey key, CancellationToken cancellationToken)
    {
        lock (_leases)
        {
            return ValueTask.FromResult(_leases.TryGetValue(key, out var held) && held.Until > _clock.GetUtcNow() ? held.Owner : null);
        }
    }

    public ValueTask<bool> TryTakeOverAsync(PartitionCheckpointKey key, string holder, string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        lock (_leases)
        {
            if (!_leases.TryGetValue(key, out var held) || held.Owner != holder)
            {
                return ValueTask.FromResult(false);
            }

            _leases[key] = (owner, _clock.GetUtcNow() + lease);
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask ReleaseAsync(PartitionCheckpointKey key, string owner, CancellationToken cancellationToken)
    {
        lock (_leases)
        {
            if (_leases.TryGetValue(key, out var held) && held.Owner == owner)
            {
                _leases.Remove(key);
            }

            return ValueTask.CompletedTask;
        }
    }
}
