using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Lake;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Medallion.Rebuild;
using HealthcareOrleans.Pipeline.Tests.Support;
using HealthcareOrleans.Simulation.Faults;

namespace HealthcareOrleans.Pipeline.Tests;

/// <summary>
/// Issue 12 item 1: what Gold owes survives a stop. The Gold timer is an hour, so only the stop itself or what the
/// next run derives from Silver can bring Gold level with a rebuild from Bronze.
/// </summary>
[Collection(PipelineCollection.Name)]
public sealed class GoldDurabilityTests
{
    private static readonly TimeSpan NoTimerFlush = TimeSpan.FromHours(1);

    [Fact]
    public async Task A_graceful_stop_flushes_Gold_and_a_kill_after_the_Silver_flush_leaves_Gold_owing_nothing_after_the_restart()
    {
        var messages = await LakeSimulations.GenerateAsync(2_000, seed: 61, new FaultInjectionOptions { DuplicateRate = 0.02, OutOfOrderRate = 0.02, LateRate = 0.01 });
        var lake = await LakePipelineCluster.StartAsync(goldFlushInterval: NoTimerFlush, durableCheckpoints: true);
        try
        {
            // A graceful stop right after the last events reached their grains (before any Gold flush ran).
            var produced = (await lake.ProduceAsync(messages.Take(1_200).AsKafka())).Count;
            await lake.WaitForGrainsAsync(produced);
            lake = await lake.RestartAsync(gracefully: true, NoTimerFlush, durableCheckpoints: true);
            await lake.WaitForSilverAsync(produced, TimeSpan.FromSeconds(90));
            Assert.Null(await DifferenceFromRebuildAsync(lake));

            // A kill -9 after the Silver flush, once the checkpoints passed every record (nothing is delivered again).
            var more = (await lake.ProduceAsync(messages.Skip(1_200).AsKafka())).Count;
            await lake.WaitForGrainsAsync(more);
            await lake.WaitForSilverAsync(produced + more, TimeSpan.FromSeconds(90));
            await lake.WaitForCheckpointsAsync(produced + more);
            lake = await lake.RestartAsync(gracefully: false, NoTimerFlush, durableCheckpoints: true);

            string? difference = null;
            await Eventually.TrueAsync(async () =>
            {
                await lake.Grains.GetGrain<ILakeFlushGrain>(LakeLayers.Gold).FlushNowAsync();
                difference = await DifferenceFromRebuildAsync(lake);
                return difference is null;
            }, TimeSpan.FromSeconds(60), () => Task.FromResult(difference ?? string.Empty));
        }
        finally
        {
            await lake.DisposeAsync();
        }
    }

    private static async Task<string?> DifferenceFromRebuildAsync(LakePipelineCluster lake)
    {
        var rebuilt = Directory.CreateTempSubdirectory("hc-gold-durable-").FullName;
        try
        {
            var streamed = new LocalLakeStorage(Path.Combine(lake.Root, "lake"));
            await new MedallionRebuild(streamed, new LocalLakeStorage(rebuilt), HospitalLayout.Default, TimeProvider.System).RunAsync();
            return await RebuildTests.FirstDifferenceAsync(streamed, new LocalLakeStorage(rebuilt));
        }
        finally
        {
            Directory.Delete(rebuilt, recursive: true);
        }
    }
}
