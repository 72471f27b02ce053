using HealthcareOrleans.LocalCluster;
using HealthcareOrleans.Silo.Cluster;
using HealthcareOrleans.Streaming.Kafka.Checkpointing;
using StackExchange.Redis;

namespace HealthcareOrleans.Silo.Tests.Cluster;

/// <summary>The Redis store's partition lease against a real redis-server: the takeover of a dead holder is a compare and swap.</summary>
public sealed class RedisPartitionLeaseTests
{
    private static readonly PartitionCheckpointKey Key = new("provider", "topic", 2);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Taking_over_a_lease_swaps_only_from_its_current_holder_and_one_of_two_concurrent_takers_wins()
    {
        var directory = Directory.CreateTempSubdirectory("redis-lease-");
        try
        {
            using var server = await RedisServer.StartAsync(directory.FullName, persistent: false);
            await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
            var store = new RedisPartitionCheckpointStore(redis, "lease-test");
            var none = CancellationToken.None;

            Assert.Null(await store.GetHolderAsync(Key, none));
            Assert.True(await store.TryAcquireAsync(Key, "dead-silo/a", Lease, none));
            Assert.Equal("dead-silo/a", await store.GetHolderAsync(Key, none));
            Assert.False(await store.TryAcquireAsync(Key, "survivor/b", Lease, none));
            Assert.False(await store.TryTakeOverAsync(Key, "someone-else/x", "survivor/b", Lease, none));

            var taken = await Task.WhenAll(
                store.TryTakeOverAsync(Key, "dead-silo/a", "survivor/b", Lease, none).AsTask(),
                store.TryTakeOverAsync(Key, "dead-silo/a", "survivor/c", Lease, none).AsTask());

            Assert.Single(taken, t => t);
            var winner = taken[0] ? "survivor/b" : "survivor/c";
            Assert.Equal(winner, await store.GetHolderAsync(Key, none));
            Assert.True(await store.TryAcquireAsync(Key, winner, Lease, none));
            var ttl = await redis.GetDatabase().KeyTimeToLiveAsync(store.LeaseKeyFor(Key));
            Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(1), Lease);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
