using Azure.Data.Tables;
using HealthcareOrleans.Streaming.Kafka.AzureTable;
using HealthcareOrleans.Streaming.Kafka.Checkpointing;

namespace HealthcareOrleans.Streaming.Kafka.AzureTable.Tests;

/// <summary>
/// The Azure Table store's partition leases against a real Azurite Table service, the cases of the Redis lease test
/// and the ones an ETag store adds: every answer is checked against the lease row as the table holds it.
/// </summary>
public sealed class AzureTablePartitionLeaseTests : IAsyncLifetime
{
    private static readonly PartitionCheckpointKey Key = new("patient-flow", "patient-flow", 2);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private static readonly CancellationToken None = CancellationToken.None;

    private TableClient _table = null!;
    private AzureTablePartitionStore _store = null!;

    public Task InitializeAsync()
    {
        // Skipped tests get no table; the others a fresh one each.
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(AzuriteFactAttribute.Variable)))
        {
            _table = new TableServiceClient(AzuriteFactAttribute.ConnectionString).GetTableClient("leases" + Guid.NewGuid().ToString("N"));
            _store = new AzureTablePartitionStore(_table, "lease-test");
        }

        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_table is not null)
        {
            await _table.DeleteAsync();
        }
    }

    [AzuriteFact]
    public async Task A_free_lease_is_acquired_renewed_by_its_holder_and_refused_to_another_owner()
    {
        Assert.Null(await _store.GetHolderAsync(Key, None));
        Assert.True(await _store.TryAcquireAsync(Key, "silo-a/1", Lease, None));
        var first = await LeaseRowAsync();
        Assert.Equal("silo-a/1", first!.GetString("Holder"));
        Assert.Equal("silo-a/1", await _store.GetHolderAsync(Key, None));

        Assert.False(await _store.TryAcquireAsync(Key, "silo-b/1", Lease, None));
        Assert.Equal("silo-a/1", (await LeaseRowAsync())!.GetString("Holder"));

        Assert.True(await _store.TryAcquireAsync(Key, "silo-a/1", Lease, None));
        var renewed = await LeaseRowAsync();
        Assert.Equal("silo-a/1", renewed!.GetString("Holder"));
        Assert.NotEqual(first.ETag, renewed.ETag);
        Assert.Equal((long)Lease.TotalMilliseconds, renewed.GetInt64("LeaseMilliseconds"));
    }

    [AzuriteFact]
    public async Task Of_eight_owners_acquiring_a_free_lease_at_once_exactly_one_gets_it()
    {
        var owners = Enumerable.Range(0, 8).Select(i => $"silo-{i}/x").ToList();
        var taken = await Task.WhenAll(owners.Select(o => _store.TryAcquireAsync(Key, o, Lease, None).AsTask()));

        Assert.Single(taken, t => t);
        var winner = owners[Array.IndexOf(taken, true)];
        Assert.Equal(winner, (await LeaseRowAsync())!.GetString("Holder"));
    }

    [AzuriteFact]
    public async Task Taking_over_a_lease_swaps_only_from_its_current_holder_and_one_of_two_concurrent_takers_wins()
    {
        Assert.True(await _store.TryAcquireAsync(Key, "dead-silo/a", Lease, None));
        Assert.False(await _store.TryAcquireAsync(Key, "survivor/b", Lease, None));
        Assert.False(await _store.TryTakeOverAsync(Key, "someone-else/x", "survivor/b", Lease, None));
        Assert.Equal("dead-silo/a", (await LeaseRowAsync())!.GetString("Holder"));

        var taken = await Task.WhenAll(
            _store.TryTakeOverAsync(Key, "dead-silo/a", "survivor/b", Lease, None).AsTask(),
            _store.TryTakeOverAsync(Key, "dead-silo/a", "survivor/c", Lease, None).AsTask());

        Assert.Single(taken, t => t);
        var winner = taken[0] ? "survivor/b" : "survivor/c";
        var loser = taken[0] ? "survivor/c" : "survivor/b";
        Assert.Equal(winner, (await LeaseRowAsync())!.GetString("Holder"));
        Assert.True(await _store.TryAcquireAsync(Key, winner, Lease, None));
        Assert.False(await _store.TryAcquireAsync(Key, loser, Lease, None));
        Assert.False(await _store.TryTakeOverAsync(Key, "dead-silo/a", loser, Lease, None));
    }

    [AzuriteFact]
    public async Task Release_by_the_holder_frees_the_lease_and_release_by_anyone_else_changes_nothing()
    {
        Assert.True(await _store.TryAcquireAsync(Key, "silo-a/1", Lease, None));

        await _store.ReleaseAsync(Key, "silo-b/1", None);
        Assert.Equal("silo-a/1", (await LeaseRowAsync())!.GetString("Holder"));

        await _store.ReleaseAsync(Key, "silo-a/1", None);
        Assert.Null(await LeaseRowAsync());
        Assert.Null(await _store.GetHolderAsync(Key, None));
        Assert.True(await _store.TryAcquireAsync(Key, "silo-b/1", Lease, None));
        Assert.Equal("silo-b/1", (await LeaseRowAsync())!.GetString("Holder"));
    }

    [AzuriteFact]
    public async Task A_lease_nobody_renews_runs_out_by_the_storage_clock_and_another_owner_takes_it()
    {
        Assert.True(await _store.TryAcquireAsync(Key, "silo-a/1", TimeSpan.FromSeconds(1), None));
        Assert.False(await _store.TryAcquireAsync(Key, "silo-b/1", Lease, None));

        // The Date header has one-second resolution: allow two seconds past the lease's end before calling it a failure.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(4);
        while (await _store.GetHolderAsync(Key, None) is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "a 1 s lease still had a holder after 4 s");
            await Task.Delay(200);
        }

        // Expired, not released: the row stays, its holder no longer counts, and the takeover of that holder is refused.
        Assert.Equal("silo-a/1", (await LeaseRowAsync())!.GetString("Holder"));
        Assert.False(await _store.TryTakeOverAsync(Key, "silo-a/1", "silo-c/1", Lease, None));
        Assert.True(await _store.TryAcquireAsync(Key, "silo-b/1", Lease, None));
        Assert.Equal("silo-b/1", (await LeaseRowAsync())!.GetString("Holder"));
    }

    [AzuriteFact]
    public async Task Checkpoints_round_trip_in_their_own_row_and_saving_one_does_not_disturb_the_lease()
    {
        var odd = new PartitionCheckpointKey("provider/with#odd?chars", "topic\\x", 0);
        Assert.Null(await _store.LoadAsync(odd, None));
        Assert.True(await _store.TryAcquireAsync(odd, "silo-a/1", Lease, None));

        await _store.SaveAsync(odd, 42, None);
        await _store.SaveAsync(odd, 1_000_000_000_007, None);

        Assert.Equal(1_000_000_000_007, await _store.LoadAsync(odd, None));
        var row = await _table.GetEntityAsync<TableEntity>(_store.PartitionKey, _store.CheckpointRowFor(odd));
        Assert.Equal(1_000_000_000_007, row.Value.GetInt64("NextOffset"));
        Assert.True(await _store.TryAcquireAsync(odd, "silo-a/1", Lease, None));
        Assert.Equal("silo-a/1", await _store.GetHolderAsync(odd, None));
        Assert.Null(await _store.LoadAsync(Key, None));

        var otherScope = new AzureTablePartitionStore(_table, "another-deployment");
        Assert.Null(await otherScope.LoadAsync(odd, None));
        Assert.Null(await otherScope.GetHolderAsync(odd, None));
    }

    private async Task<TableEntity?> LeaseRowAsync()
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(_store.PartitionKey, _store.LeaseRowFor(Key));
        return row.HasValue ? row.Value : null;
    }
}
