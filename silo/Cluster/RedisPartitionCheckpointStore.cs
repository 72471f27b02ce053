using System.Globalization;
using HealthcareOrleans.Streaming.Kafka.Checkpointing;
using StackExchange.Redis;

namespace HealthcareOrleans.Silo.Cluster;

/// <summary>
/// Stream checkpoints in the cluster's Redis, so the silo that takes a partition over resumes where its previous owner
/// stopped instead of re-reading the partition from the start (per-silo files cannot be seen by the next owner).
/// Keys are scoped by service id: several deployments may share one Redis.
/// </summary>
public sealed class RedisPartitionCheckpointStore(IConnectionMultiplexer redis, string serviceId) : IPartitionCheckpointStore, IPartitionOwnershipStore
{
    // Take or renew: free, or already ours. Atomic in Redis, so two silos never both hold one partition's lease.
    private const string AcquireScript = """
        local holder = redis.call('GET', KEYS[1])
        if holder == false or holder == ARGV[1] then
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return 1
        end
        return 0
        """;

    // Take over from a named holder only (a silo membership declared dead): of several takers at once, one wins.
    private const string TakeOverScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
            redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
            return 1
        end
        return 0
        """;

    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
            return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    public string KeyFor(PartitionCheckpointKey key) =>
        $"{serviceId}/stream-checkpoints/{key.ProviderName}/{key.Topic}/{key.Partition.ToString(CultureInfo.InvariantCulture)}";

    public async ValueTask<long?> LoadAsync(PartitionCheckpointKey key, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().StringGetAsync(KeyFor(key)).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (value.IsNull)
        {
            return null;
        }

        return long.TryParse((string?)value, NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? offset
            : throw new InvalidDataException($"Redis key '{KeyFor(key)}' does not hold an offset. Delete it to restart the partition from the configured start position.");
    }

    public async ValueTask SaveAsync(PartitionCheckpointKey key, long nextOffset, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nextOffset);
        // Last writer wins: an old owner saving a lower offset late only makes the next owner re-read a little, which
        // consumers and Bronze deduplicate; refusing lower offsets would wedge a partition whose log was re-created.
        await redis.GetDatabase().StringSetAsync(KeyFor(key), nextOffset.ToString(CultureInfo.InvariantCulture)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public string LeaseKeyFor(PartitionCheckpointKey key) => KeyFor(key) + "/lease";

    public async ValueTask<bool> TryAcquireAsync(PartitionCheckpointKey key, string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        var taken = await redis.GetDatabase()
            .ScriptEvaluateAsync(AcquireScript, [LeaseKeyFor(key)], [owner, (long)lease.TotalMilliseconds])
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return (long)taken == 1;
    }

    public async ValueTask<string?> GetHolderAsync(PartitionCheckpointKey key, CancellationToken cancellationToken) =>
        await redis.GetDatabase().StringGetAsync(LeaseKeyFor(key)).WaitAsync(cancellationToken).ConfigureAwait(false);

    public async ValueTask<bool> TryTakeOverAsync(PartitionCheckpointKey key, string holder, string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        var taken = await redis.GetDatabase()
            .ScriptEvaluateAsync(TakeOverScript, [LeaseKeyFor(key)], [holder, owner, (long)lease.TotalMilliseconds])
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return (long)taken == 1;
    }

    public async ValueTask ReleaseAsync(PartitionCheckpointKey key, string owner, CancellationToken cancellationToken) =>
        await redis.GetDatabase().ScriptEvaluateAsync(ReleaseScript, [LeaseKeyFor(key)], [owner]).WaitAsync(cancellationToken).ConfigureAwait(false);
}
