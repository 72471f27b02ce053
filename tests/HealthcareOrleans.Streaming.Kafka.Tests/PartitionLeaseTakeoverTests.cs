using HealthcareOrleans.Streaming.Kafka.Checkpointing;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthcareOrleans.Streaming.Kafka.Tests;

/// <summary>
/// A partition lease held by a silo that membership declared dead is taken over at once; a live holder's is waited
/// for. Membership and the lease store are fakes here; the Redis store's compare and swap has its own test against
/// redis-server in the silo tests, and the cluster tests' kill -9 shows the whole path.
/// </summary>
public sealed class PartitionLeaseTakeoverTests
{
    private static readonly PartitionCheckpointKey Key = new("fake-provider", "fake-topic", 3);
    private static readonly TimeSpan Length = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task With_fake_membership_and_store_a_lease_held_by_a_dead_silo_is_taken_over_at_once()
    {
        var membership = new FakeMembership();
        var store = new FakeOwnershipStore();
        var dead = Lease(store, membership, "silo-a");
        Assert.True(await dead.HoldAsync(CancellationToken.None));
        var survivor = Lease(store, membership, "silo-b");
        Assert.False(await survivor.HoldAsync(CancellationToken.None));

        membership.Dead.Add("silo-a");

        // The lease has ten minutes left: only the takeover lets the survivor read now.
        Assert.True(await survivor.HoldAsync(CancellationToken.None));
        Assert.Equal(survivor.Owner, await store.GetHolderAsync(Key, CancellationToken.None));
    }

    [Fact]
    public async Task With_fake_membership_and_store_a_live_holders_lease_is_waited_for()
    {
        var membership = new FakeMembership();
        var store = new FakeOwnershipStore();
        var live = Lease(store, membership, "silo-a");
        Assert.True(await live.HoldAsync(CancellationToken.None));
        var next = Lease(store, membership, "silo-b");

        // A graceful handover: the holder is still a member and releases after its final checkpoint.
        Assert.False(await next.HoldAsync(CancellationToken.None));
        Assert.Equal(live.Owner, await store.GetHolderAsync(Key, CancellationToken.None));

        await live.ReleaseAsync(CancellationToken.None);
        Assert.True(await next.HoldAsync(CancellationToken.None));
    }

    [Fact]
    public async Task With_fake_membership_and_store_two_concurrent_takers_of_a_dead_holders_lease_one_wins()
    {
        var membership = new FakeMembership();
        // Both takers read the dead holder before either swaps: the compare and swap alone decides.
        var store = new FakeOwnershipStore(readersToMeet: 2);
        var dead = Lease(new FakeOwnershipStore(), membership, "silo-a");
        store.Holder = dead.Owner;
        membership.Dead.Add("silo-a");
        var first = Lease(store, membership, "silo-b");
        var second = Lease(store, membership, "silo-c");

        var held = await Task.WhenAll(
            Task.Run(async () => await first.HoldAsync(CancellationToken.None)),
            Task.Run(async () => await second.HoldAsync(CancellationToken.None)));

        Assert.Single(held, h => h);
        var winner = held[0] ? first : second;
        Assert.Equal(winner.Owner, await store.GetHolderAsync(Key, CancellationToken.None));
    }

    private static PartitionLease Lease(FakeOwnershipStore store, FakeMembership membership, string silo) =>
        new(store, Key, Length, TimeProvider.System, NullLogger.Instance, new SiloMembership(membership, silo));

    private sealed class FakeMembership
    {
        public HashSet<string> Dead { get; } = [];
    }

    private sealed class SiloMembership(FakeMembership membership, string silo) : ILeaseHolderMembership
    {
        public string OwnerName(string receiverInstance) => silo + "/" + receiverInstance;

        public bool IsDeclaredDead(string holder)
        {
            lock (membership.Dead)
            {
                return membership.Dead.Contains(holder[..holder.IndexOf('/', StringComparison.Ordinal)]);
            }
        }
    }

    /// <summary>One lease, never expiring within a test; atomic like the Redis scripts.</summary>
    private sealed class FakeOwnershipStore(int readersToMeet = 0) : IPartitionOwnershipStore
    {
        private readonly Lock _gate = new();
        private readonly TaskCompletionSource _readersMet = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _readers;

        public string? Holder { get; set; }

        public ValueTask<bool> TryAcquireAsync(PartitionCheckpointKey key, string owner, TimeSpan lease, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                if (Holder is null || Holder == owner)
                {
                    Holder = owner;
                    return ValueTask.FromResult(true);
                }

                return ValueTask.FromResult(false);
            }
        }

        public async ValueTask<string?> GetHolderAsync(PartitionCheckpointKey key, CancellationToken cancellationToken)
        {
            string? holder;
            lock (_gate)
            {
                holder = Holder;
            }

            var reader = readersToMeet > 0 ? Interlocked.Increment(ref _readers) : 0;
            if (reader > 0 && reader <= readersToMeet)
            {
                if (reader == readersToMeet)
                {
                    _readersMet.TrySetResult();
                }

                await _readersMet.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            }

            return holder;
        }

        public ValueTask<bool> TryTakeOverAsync(PartitionCheckpointKey key, string holder, string owner, TimeSpan lease, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                if (Holder != holder)
                {
                    return ValueTask.FromResult(false);
                }

                Holder = owner;
                return ValueTask.FromResult(true);
            }
        }

        public ValueTask ReleaseAsync(PartitionCheckpointKey key, string owner, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                if (Holder == owner)
                {
                    Holder = null;
                }
            }

            return ValueTask.CompletedTask;
        }
    }
}
