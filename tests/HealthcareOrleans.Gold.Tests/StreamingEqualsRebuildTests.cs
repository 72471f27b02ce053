using HealthcareOrleans.Contracts.Engine;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Lake;
using HealthcareOrleans.Gold.Tests.Support;
using HealthcareOrleans.Medallion.Gold;
using HealthcareOrleans.Simulation;
using HealthcareOrleans.Simulation.Faults;

namespace HealthcareOrleans.Gold.Tests;

/// <summary>Guarantee 5 for Gold: what the flush writes from two silos equals a rebuild from a single-threaded replay.</summary>
public sealed class StreamingEqualsRebuildTests
{
    private static readonly DateTimeOffset SimulationStart = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Gold_flushed_from_two_silos_equals_the_rebuild_and_an_idle_flush_commits_nothing()
    {
        await using var cluster = await GoldCluster.StartAsync();
        var messages = await SimulateAsync(6_000, seed: 5, new FaultInjectionOptions { DuplicateRate = 0.02, OutOfOrderRate = 0.02, LateRate = 0.01 });
        var records = await cluster.ProduceAsync(messages.Take(3_000));
        // A flush in the middle of the stream: later flushes must update what it wrote, not add to it.
        await Eventually.TrueAsync(async () => (await StatusAsync(cluster)).EventsApplied >= 1_000, TimeSpan.FromSeconds(60),
            async () => $"{(await StatusAsync(cluster)).EventsApplied} events applied");
        await cluster.FlushGoldAsync();
        records.AddRange(await cluster.ProduceAsync(messages.Skip(3_000)));

        using var rebuilt = new TempLake();
        await GoldRebuild.WriteAsync(rebuilt.Storage, ReferencePipeline.Replay(records).Patients, HospitalLayout.Default, DateTimeOffset.UtcNow);
        var expected = await GoldContent.ReadAsync(rebuilt.Storage);
        Assert.NotEmpty(expected.Rows[LakeTables.GoldFactWardStay]);
        Assert.NotEmpty(expected.Rows[LakeTables.GoldFactWardCensusHourly]);

        await Eventually.TrueAsync(async () => (await StatusAsync(cluster)).Silos.SelectMany(s => s.Partitions).Sum(p => p.NextOffset) >= records.Count,
            TimeSpan.FromSeconds(90), async () => $"receivers reached {(await StatusAsync(cluster)).Silos.SelectMany(s => s.Partitions).Sum(p => p.NextOffset)} of {records.Count}");
        // Idle means every record reached its grain (applied, found duplicate or rejected), not only read by a receiver:
        // a late duplicate still on its way would mark its patient and make the "idle" flush write.
        await Eventually.TrueAsync(async () => Processed(await StatusAsync(cluster)) >= records.Count, TimeSpan.FromSeconds(90),
            async () => $"{Processed(await StatusAsync(cluster))} of {records.Count} records processed by the grains");
        string? difference = null;
        await Eventually.TrueAsync(async () =>
        {
            await cluster.FlushGoldAsync();
            difference = (await GoldContent.ReadAsync(cluster.Lake)).FirstDifference(expected);
            return difference is null;
        }, TimeSpan.FromSeconds(60), () => Task.FromResult(difference ?? string.Empty));

        var settled = await GoldContent.ReadAsync(cluster.Lake);
        await cluster.FlushGoldAsync();
        var idle = await GoldContent.ReadAsync(cluster.Lake);
        Assert.Equal(settled.Versions, idle.Versions);
        Assert.Null(idle.FirstDifference(expected));
    }

    private static long Processed(EngineStatus status) =>
        status.Silos.Sum(s => s.EventsApplied + s.EventsDuplicate + s.MessagesRejected);

    private static async Task<EngineStatus> StatusAsync(GoldCluster cluster) => await cluster.Grains.GetGrain<IEngineStatusGrain>(0).GetAsync();

    private static async Task<List<(string? Key, byte[] Value)>> SimulateAsync(int count, int seed, FaultInjectionOptions faults)
    {
        var simulator = new PatientFlowSimulator(new SimulationOptions { Seed = seed, Start = SimulationStart, Count = count, Faults = faults });
        var messages = new List<(string? Key, byte[] Value)>(count);
        await foreach (var message in simulator.GenerateAsync())
        {
            messages.Add((message.Key, message.Value));
        }

        return messages;
    }
}
