using System.Globalization;
using Azure.Data.Tables;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Streaming.EventHubs.Testing;
using HealthcareOrleans.Streaming.EventHubs.Tests.TestSupport;

namespace HealthcareOrleans.Streaming.EventHubs.Tests;

/// <summary>
/// Orleans' Event Hubs provider as the silo runs it — our data adapter, Bronze tap and checkpointer, the real Bronze
/// writer, checkpoints in an Azurite table — with the hub served by the package's generator receivers: no Event Hubs
/// AMQP endpoint can run here.
/// </summary>
[Collection(EventHubsClusterCollection.Name)]
public sealed class EventHubsIngestionClusterTests(AzuriteTables azurite) : IAsyncLifetime
{
    private const int Partitions = 4;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly string _lake = Directory.CreateTempSubdirectory("hc-eventhubs-lake-").FullName;
    private readonly string _table = "ehcp" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _serviceId = "hc-eh-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _source = "eventhubs:test-" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<InMemoryHubPartition> _hub = [.. Enumerable.Range(0, Partitions).Select(p => new InMemoryHubPartition(p))];

    public Task InitializeAsync()
    {
        PartitionRecorderGrain.Delivered.Clear();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_lake, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Every_event_reaches_Bronze_once_and_its_partition_stream_in_order_WithGeneratorReceivers_NoAmqpEndpoint()
    {
        AppendToEveryPartition(150);
        await using var cluster = await StartAsync();

        await WaitUntilDeliveredAsync(150);
        await WaitUntilBronzeHoldsAsync(150 * Partitions);

        // Stream ids: one stream per partition, keyed by its number, carrying only that partition's events in order.
        var delivered = PartitionRecorderGrain.Delivered.ToList();
        Assert.Equal(Enumerable.Range(0, Partitions).Select(p => p.ToString(CultureInfo.InvariantCulture)).ToHashSet(),
            delivered.Select(d => d.Stream.GetKeyAsString()).ToHashSet());
        Assert.All(delivered, d => Assert.Equal(PatientFlowStreams.PartitionNamespace, d.Stream.GetNamespace()));
        foreach (var stream in delivered.GroupBy(d => d.Stream))
        {
            var partition = int.Parse(stream.Key.GetKeyAsString(), CultureInfo.InvariantCulture);
            var records = stream.SelectMany(d => d.Batch.Records).ToList();
            Assert.All(records, r => Assert.Equal(partition, r.Partition));
            // Oracle: the hub's own log, event by event.
            Assert.Equal(Enumerable.Range(0, 150).Select(s => (long)s), records.Select(r => r.Offset));
            for (var s = 0; s < records.Count; s++)
            {
                var expected = _hub[partition][s];
                Assert.Equal(expected.PartitionKey, records[s].Key);
                Assert.Equal(expected.EventBody.ToArray(), records[s].Payload);
                Assert.Equal(expected.EnqueuedTime.UtcDateTime, records[s].AppendedAtUtc);
                Assert.Equal(EventHubsTestCluster.Hub, records[s].Topic);
            }
        }

        // Reads are batched: far fewer deliveries than events.
        Assert.True(delivered.Count < 150 * Partitions / 4, $"{delivered.Count} batches for {150 * Partitions} events");
        await AssertBronzeIsTheHubOnceAsync(150);
    }

    [Fact]
    public async Task A_restart_resumes_at_the_smaller_of_checkpoint_and_Bronze_and_loses_nothing_WithGeneratorReceivers_NoAmqpEndpoint()
    {
        AppendToEveryPartition(100);
        await using (var first = await StartAsync())
        {
            await WaitUntilDeliveredAsync(100);
            await WaitUntilBronzeHoldsAsync(100 * Partitions);
            await first.StopGracefullyAsync();
        }

        // The final checkpoints: every partition delivered and durable in Bronze up to 100, never beyond.
        var checkpoints = await CheckpointsAsync();
        Assert.Equal(Partitions, checkpoints.Count);
        Assert.All(checkpoints.Values, c => Assert.Equal(100, c));

        // Partition 0's checkpoint falls behind (an older save survived); partition 1's runs ahead of Bronze (as if the
        // table had been written before Bronze made 100..129 durable). Meanwhile the hub receives 50 more per partition.
        await SetCheckpointAsync(0, 40);
        await SetCheckpointAsync(1, 130);
        AppendToEveryPartition(50);
        PartitionRecorderGrain.Delivered.Clear();

        await using var second = await StartAsync();
        await WaitUntilDeliveredAsync(150, fromSequenceNumber: 100);
        await WaitUntilBronzeHoldsAsync(150 * Partitions);

        // Started at min(checkpoint, Bronze): 40 for partition 0, Bronze's 100 for partition 1 (not the checkpoint's
        // 130, which would skip 30 events), 100 for the others.
        Assert.Equal([null, 40L], _hub[0].OpenedAt);
        Assert.Equal([null, 100L], _hub[1].OpenedAt);
        Assert.Equal([null, 100L], _hub[2].OpenedAt);
        Assert.Equal([null, 100L], _hub[3].OpenedAt);

        // At least once to the stream (partition 0 re-delivers 40..99, allowed), exactly once in Bronze.
        var redelivered = PartitionRecorderGrain.DeliveredRecords();
        Assert.Equal(Enumerable.Range(40, 110).Select(s => (long)s), redelivered.Where(r => r.Partition == 0).Select(r => r.SequenceNumber));
        Assert.Equal(Enumerable.Range(100, 50).Select(s => (long)s), redelivered.Where(r => r.Partition == 1).Select(r => r.SequenceNumber));
        await AssertBronzeIsTheHubOnceAsync(150);
    }

    private Task<EventHubsTestCluster> StartAsync() =>
        EventHubsTestCluster.StartAsync(_hub, _lake, azurite.ConnectionString, _table, _source, _serviceId);

    private void AppendToEveryPartition(int count)
    {
        foreach (var partition in _hub)
        {
            partition.AppendEvents(count, sequenceNumber => $"P{partition.Partition}-{sequenceNumber % 7}");
        }
    }

    private Task WaitUntilDeliveredAsync(int endSequenceNumber, int fromSequenceNumber = 0) =>
        Eventually.TrueAsync(() => Task.FromResult(Enumerable.Range(0, Partitions).All(p =>
                PartitionRecorderGrain.DeliveredRecords().Where(r => r.Partition == p).Select(r => r.SequenceNumber).ToHashSet()
                    .IsSupersetOf(Enumerable.Range(fromSequenceNumber, endSequenceNumber - fromSequenceNumber).Select(s => (long)s)))),
            Timeout,
            () => Task.FromResult($"{PartitionRecorderGrain.DeliveredRecords().Count} records delivered"));

    private Task WaitUntilBronzeHoldsAsync(int rows) =>
        Eventually.TrueAsync(async () => (await BronzeOracle.ReadAsync(_lake)).Count >= rows, Timeout,
            async () => $"{(await BronzeOracle.ReadAsync(_lake)).Count} of {rows} rows in Bronze");

    private async Task AssertBronzeIsTheHubOnceAsync(int perPartition)
    {
        var rows = await BronzeOracle.ReadAsync(_lake);
        Assert.Equal(perPartition * Partitions, rows.Count);
        Assert.Equal(rows.Count, rows.Select(r => (r.Partition, r.Offset)).Distinct().Count());
        foreach (var row in rows)
        {
            var expected = _hub[row.Partition][row.Offset];
            Assert.Equal(_source, row.Source);
            Assert.Equal(EventHubsTestCluster.Hub, row.Topic);
            Assert.Equal(expected.PartitionKey, row.Key);
            Assert.Equal(expected.EventBody.ToArray(), row.Payload);
        }

        Assert.Equal(Enumerable.Range(0, Partitions).SelectMany(p => Enumerable.Range(0, perPartition).Select(s => (p, (long)s))).ToHashSet(),
            rows.Select(r => (r.Partition, r.Offset)).ToHashSet());
    }

    /// <summary>The checkpoint rows as the table holds them (the provider's entity: RowKey partition_&lt;id&gt;, Offset).</summary>
    private async Task<Dictionary<int, long>> CheckpointsAsync()
    {
        var table = new TableClient(azurite.ConnectionString, _table);
        var checkpoints = new Dictionary<int, long>();
        await foreach (var entity in table.QueryAsync<TableEntity>())
        {
            Assert.StartsWith("partition_", entity.RowKey, StringComparison.Ordinal);
            checkpoints[int.Parse(entity.RowKey["partition_".Length..], CultureInfo.InvariantCulture)] =
                long.Parse(entity.GetString("Offset"), CultureInfo.InvariantCulture);
        }

        return checkpoints;
    }

    private async Task SetCheckpointAsync(int partition, long next)
    {
        var table = new TableClient(azurite.ConnectionString, _table);
        await foreach (var entity in table.QueryAsync<TableEntity>(e => e.RowKey == $"partition_{partition}"))
        {
            entity["Offset"] = next.ToString(CultureInfo.InvariantCulture);
            await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace);
            return;
        }

        Assert.Fail($"No checkpoint row for partition {partition}");
    }
}
