using HealthcareOrleans.Streaming.Kafka.Checkpointing;
using HealthcareOrleans.Streaming.Kafka.Tests.TestSupport;

namespace HealthcareOrleans.Streaming.Kafka.Tests;

/// <summary>Silos sharing one in-process checkpoint store hand partitions over through its leases.</summary>
public sealed class InMemoryPartitionLeaseTests
{
    private static readonly PartitionCheckpointKey Key = new("provider", "topic", 1);
    private static readonly TimeSpan Length = TimeSpan.FromSeconds(15);
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_held_lease_keeps_others_out_until_released_and_the_holder_renews_it()
    {
        var store = new InMemoryPartitionCheckpointStore(new ManualClock(Start));
        Assert.True(await store.TryAcquireAsync(Key, "a", Length, default));
        Assert.True(await store.TryAcquireAsync(Key, "a", Length, default));
        Assert.False(await store.TryAcquireAsync(Key, "b", Length, default));
        Assert.Equal("a", await store.GetHolderAsync(Key, default));

        // Only the holder's release counts.
        await store.ReleaseAsync(Key, "b", default);
        Assert.False(await store.TryAcquireAsync(Key, "b", Length, default));
        await store.ReleaseAsync(Key, "a", default);
        Assert.Null(await store.GetHolderAsync(Key, default));
        Assert.True(await store.TryAcquireAsync(Key, "b", Length, default));
    }

    [Fact]
    public async Task A_lease_nobody_renews_runs_out()
    {
        var clock = new ManualClock(Start);
        var store = new InMemoryPartitionCheckpointStore(clock);
        Assert.True(await store.TryAcquireAsync(Key, "a", Length, default));
        clock.Advance(Length - TimeSpan.FromMilliseconds(1));
        Assert.False(await store.TryAcquireAsync(Key, "b", Length, default));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(await store.GetHolderAsync(Key, default));
        Assert.True(await store.TryAcquireAsync(Key, "b", Length, default));
    }

    [Fact]
    public async Task Taking_over_swaps_only_from_the_named_holder()
    {
        var store = new InMemoryPartitionCheckpointStore(new ManualClock(Start));
        Assert.True(await store.TryAcquireAsync(Key, "dead", Length, default));
        Assert.False(await store.TryTakeOverAsync(Key, "someone-else", "b", Length, default));
        Assert.True(await store.TryTakeOverAsync(Key, "dead", "b", Length, default));
        Assert.False(await store.TryTakeOverAsync(Key, "dead", "c", Length, default));
        Assert.Equal("b", await store.GetHolderAsync(Key, default));
    }
}
