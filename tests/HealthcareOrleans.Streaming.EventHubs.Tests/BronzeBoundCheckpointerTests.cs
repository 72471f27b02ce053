using System.Globalization;
using Azure.Data.Tables;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Medallion.Bronze;
using HealthcareOrleans.Medallion.Lake;
using HealthcareOrleans.Streaming.EventHubs.Checkpointing;
using HealthcareOrleans.Streaming.EventHubs.Options;
using HealthcareOrleans.Streaming.EventHubs.Tests.TestSupport;
using HealthcareOrleans.Streaming.Kafka.Tap;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Configuration;
using Orleans.Streaming.EventHubs;

namespace HealthcareOrleans.Streaming.EventHubs.Tests;

/// <summary>The checkpointer over Orleans' Azure Table checkpointer on Azurite and the real Bronze writer on a folder.</summary>
[Collection(EventHubsClusterCollection.Name)]
public sealed class BronzeBoundCheckpointerTests(AzuriteTables azurite) : IAsyncLifetime
{
    private readonly string _lake = Directory.CreateTempSubdirectory("hc-eventhubs-checkpoints-").FullName;
    private readonly string _table = "ehcp" + Guid.NewGuid().ToString("N")[..12];
    private readonly EventHubsIngestionOptions _options = new()
    {
        EventHub = EventHubsTestCluster.Hub,
        SourceId = "eventhubs:checkpoints",
        CheckpointPersistInterval = TimeSpan.FromMilliseconds(100),
    };

    private BronzeWriter _bronze = null!;

    private ReceivedPartition Partition3 => new(_options.SourceId!, EventHubsTestCluster.Hub, 3);

    public Task InitializeAsync()
    {
        _bronze = NewBronze();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _bronze.Dispose();
        Directory.Delete(_lake, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_table_never_holds_a_position_Bronze_has_not_made_durable()
    {
        Receive(0, 10);
        await _bronze.FlushAllAsync(CancellationToken.None);
        Receive(10, 20);
        var factory = Factory(_bronze);

        var checkpointer = await factory.Create("3", CancellationToken.None);
        // Nothing in the table, Bronze holds 0..9: read the partition from its start (Bronze drops what it holds).
        Assert.Equal("-1", await checkpointer.Load(CancellationToken.None));
        Assert.False(checkpointer.CheckpointExists);

        checkpointer.Update("20", DateTime.UtcNow, CancellationToken.None);
        await Eventually.TrueAsync(async () => await StoredAsync() == 10, TimeSpan.FromSeconds(10), async () => $"table holds {await StoredAsync()}");
        // Several persist intervals later it still holds Bronze's 10, not the delivered 20.
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Equal(10, await StoredAsync());

        // Stopping makes the delivered part durable in Bronze first; only then may the table say 20.
        await checkpointer.FlushAsync(CancellationToken.None);
        Assert.Equal(20, _bronze.GetDurableNextOffset(Partition3));
        Assert.Equal(20, await StoredAsync());
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), (await BronzeOracle.ReadAsync(_lake)).Select(r => r.Offset).Order());
    }

    [Fact]
    public async Task A_new_owner_starts_at_the_smaller_of_table_and_Bronze()
    {
        Receive(0, 30);
        await _bronze.FlushAllAsync(CancellationToken.None);
        var first = await Factory(_bronze).Create("3", CancellationToken.None);
        await first.Load(CancellationToken.None);
        first.Update("30", DateTime.UtcNow, CancellationToken.None);
        await first.FlushAsync(CancellationToken.None);
        Assert.Equal(30, await StoredAsync());

        // Another silo's Bronze writer (its own instance, reading the table's txn) and the same table: both say 30.
        using var elsewhere = NewBronze();
        var second = await Factory(elsewhere).Create("3", CancellationToken.None);
        Assert.Equal("30", await second.Load(CancellationToken.None));
        Assert.True(second.CheckpointExists);

        // A table ahead of Bronze (Bronze's 30..44 lost before their commit): resume where Bronze stopped.
        await SetStoredAsync(45);
        using var third = NewBronze();
        var resumed = await Factory(third).Create("3", CancellationToken.None);
        Assert.Equal("30", await resumed.Load(CancellationToken.None));
        await ((IAsyncDisposable)resumed).DisposeAsync();
        await ((IAsyncDisposable)second).DisposeAsync();
    }

    private BronzeWriter NewBronze() => new(
        new LocalLakeStorage(_lake), Microsoft.Extensions.Options.Options.Create(new LakeOptions { Root = _lake }), TimeProvider.System, NullLogger<BronzeWriter>.Instance);

    private BronzeBoundCheckpointerFactory Factory(BronzeWriter bronze)
    {
        var table = new AzureTableStreamCheckpointerOptions
        {
            TableName = _table,
            PersistInterval = _options.CheckpointPersistInterval,
            TableServiceClient = new TableServiceClient(azurite.ConnectionString),
        };
        var tableCheckpoints = new EventHubCheckpointerFactory(
            PatientFlowStreams.ProviderName, table, Microsoft.Extensions.Options.Options.Create(new ClusterOptions { ServiceId = "checkpoint-tests" }), NullLoggerFactory.Instance);
        return new BronzeBoundCheckpointerFactory(tableCheckpoints, bronze, _options, TimeProvider.System, NullLoggerFactory.Instance);
    }

    private void Receive(long from, long to)
    {
        for (var sequenceNumber = from; sequenceNumber < to; sequenceNumber++)
        {
            _bronze.Received(Partition3, new BrokerRecord(EventHubsTestCluster.Hub, 3, sequenceNumber, DateTime.UtcNow, "P1", [(byte)sequenceNumber]));
        }
    }

    private async Task<long?> StoredAsync()
    {
        var table = new TableClient(azurite.ConnectionString, _table);
        await foreach (var entity in table.QueryAsync<TableEntity>(e => e.RowKey == "partition_3"))
        {
            return long.Parse(entity.GetString("Offset"), CultureInfo.InvariantCulture);
        }

        return null;
    }

    private async Task SetStoredAsync(long next)
    {
        var table = new TableClient(azurite.ConnectionString, _table);
        await foreach (var entity in table.QueryAsync<TableEntity>(e => e.RowKey == "partition_3"))
        {
            entity["Offset"] = next.ToString(CultureInfo.InvariantCulture);
            await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace);
        }
    }
}
