using HealthcareOrleans.Contracts.Lake;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Medallion.Bronze;
using HealthcareOrleans.Pipeline.Tests.Support;

namespace HealthcareOrleans.Pipeline.Tests;

/// <summary>Guarantee 1: every message the broker accepted is in Bronze exactly once, whatever happens to silos and commits.</summary>
[Collection(PipelineCollection.Name)]
public sealed class BronzeExactlyOnceTests
{
    [Fact]
    public async Task Stopping_a_silo_mid_stream_leaves_every_offset_in_Bronze_exactly_once()
    {
        await using var lake = await LakePipelineCluster.StartAsync();
        var messages = await LakeSimulations.GenerateAsync(16_000, seed: 21);
        var records = await lake.ProduceAsync(messages.Take(8_000).AsKafka());
        await Eventually.TrueAsync(async () => (await lake.BronzeOffsetsAsync()).Count >= 3_000, TimeSpan.FromSeconds(60),
            async () => $"{(await lake.BronzeOffsetsAsync()).Count} Bronze rows before the stop");

        await lake.Cluster.StopSiloAsync(lake.Cluster.Silos[1]);
        records.AddRange(await lake.ProduceAsync(messages.Skip(8_000).AsKafka()));

        await AssertExactlyOnceAsync(lake, records);
    }

    [Fact]
    public async Task A_flush_that_dies_between_data_files_and_commit_is_retried_without_loss_or_duplicates()
    {
        CommitFailingStorage? faulty = null;
        await using var lake = await LakePipelineCluster.StartAsync(inner => faulty = new CommitFailingStorage(inner, BronzeTable.Path, new HashSet<int> { 3, 4, 9 }));
        var messages = await LakeSimulations.GenerateAsync(8_000, seed: 22);
        List<BrokerRecord> records = [];
        // Each chunk waits until it is in Bronze, so every chunk costs at least one successful commit: eight chunks reach
        // the ninth commit attempt however many messages a flush happens to carry. The table stays readable meanwhile.
        foreach (var chunk in messages.Chunk(1_000))
        {
            records.AddRange(await lake.ProduceAsync(chunk.AsKafka()));
            await Eventually.TrueAsync(async () => (await lake.BronzeOffsetsAsync()).Count >= records.Count, TimeSpan.FromSeconds(60),
                async () => $"{(await lake.BronzeOffsetsAsync()).Count} of {records.Count} offsets in Bronze after {faulty!.Failed} failed commits");
        }

        await AssertExactlyOnceAsync(lake, records);
        Assert.Equal(3, faulty!.Failed);
        // Each silo reports its Bronze status after its next successful flush; wait for it rather than read a stale one.
        await Eventually.TrueAsync(async () =>
            {
                var bronze = (await lake.StatusAsync()).Where(s => s.Layer == LakeLayers.Bronze).ToList();
                return bronze.Count > 0 && bronze.All(s => s.ConsecutiveFailures == 0);
            }, TimeSpan.FromSeconds(30),
            async () => string.Join("; ", (await lake.StatusAsync()).Where(s => s.Layer == LakeLayers.Bronze).Select(s => $"{s.Writer}: {s.ConsecutiveFailures} failures, {s.LastError}")));
    }

    private static async Task AssertExactlyOnceAsync(LakePipelineCluster lake, List<BrokerRecord> records)
    {
        // The broker's end offsets: the sum of the partitions' high watermarks (a fresh broker starts every partition at 0).
        var highWatermarks = records.GroupBy(r => r.Partition).ToDictionary(g => g.Key, g => g.Max(r => r.Offset) + 1);
        var expected = highWatermarks.Values.Sum();
        Assert.Equal(records.Count, expected);
        List<(int Partition, long Offset)> rows = [];
        await Eventually.TrueAsync(async () => (rows = await lake.BronzeOffsetsAsync()).Count >= expected, TimeSpan.FromSeconds(90),
            () => Task.FromResult($"{rows.Count} of {expected} offsets in Bronze"));

        // Flush everything still buffered anywhere: a duplicate waiting in a buffer would show up now.
        await lake.Grains.GetGrain<ILakeFlushGrain>(LakeLayers.Bronze).FlushNowAsync();
        rows = await lake.BronzeOffsetsAsync();
        Assert.Equal(expected, rows.Count);
        Assert.Equal(expected, rows.Distinct().Count());
        foreach (var (partition, high) in highWatermarks)
        {
            var offsets = rows.Where(r => r.Partition == partition).Select(r => r.Offset).Order().ToList();
            Assert.Equal(Enumerable.Range(0, (int)high).Select(o => (long)o), offsets);
        }
    }
}
