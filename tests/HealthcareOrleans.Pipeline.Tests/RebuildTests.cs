using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Lake;
using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Medallion.Rebuild;
using HealthcareOrleans.Pipeline.Tests.Support;
using HealthcareOrleans.Simulation.Faults;

namespace HealthcareOrleans.Pipeline.Tests;

/// <summary>Guarantee 5: Silver and Gold are a function of Bronze, so `hc lake rebuild` gives what streaming produced.</summary>
[Collection(PipelineCollection.Name)]
public sealed class RebuildTests
{
    private static readonly string[] DerivedTables =
    [
        LakeTables.SilverPatientFlowEvents, LakeTables.SilverQuarantine, LakeTables.GoldDimPatient, LakeTables.GoldDimWard, LakeTables.GoldDimDate,
        LakeTables.GoldFactWardStay, LakeTables.GoldFactEncounter, LakeTables.GoldFactWardCensusHourly,
    ];

    [Fact]
    public async Task Rebuilding_Silver_and_Gold_from_Bronze_after_fifty_thousand_events_gives_what_streaming_wrote()
    {
        await using var lake = await LakePipelineCluster.StartAsync();
        var messages = await LakeSimulations.GenerateAsync(50_000, seed: 43, new FaultInjectionOptions
        {
            DuplicateRate = 0.01, OutOfOrderRate = 0.01, LateRate = 0.01, MalformedJsonRate = 0.005, UnknownWardRate = 0.005,
        });
        var records = await lake.ProduceAsync(messages.AsKafka());
        await lake.WaitForSilverAsync(records.Count, TimeSpan.FromSeconds(240));

        var rebuilt = Directory.CreateTempSubdirectory("hc-rebuilt-").FullName;
        try
        {
            var result = await new MedallionRebuild(lake.Storage, new LocalLakeStorage(rebuilt), HospitalLayout.Default, TimeProvider.System).RunAsync();
            Assert.Equal(records.Count, result.BronzeRecords);

            // Streaming Gold catches up flush by flush; each flush runs now rather than on its 60 s timer.
            string? difference = null;
            await Eventually.TrueAsync(async () =>
            {
                await lake.Grains.GetGrain<ILakeFlushGrain>(LakeLayers.Gold).FlushNowAsync();
                difference = await FirstDifferenceAsync(lake.Storage, new LocalLakeStorage(rebuilt));
                return difference is null;
            }, TimeSpan.FromSeconds(120), () => Task.FromResult(difference ?? string.Empty));
        }
        finally
        {
            Directory.Delete(rebuilt, recursive: true);
        }
    }

    internal static async Task<string?> FirstDifferenceAsync(ILakeStorage streamed, ILakeStorage rebuilt)
    {
        foreach (var path in DerivedTables)
        {
            var expected = TableRows.Of(await (await DeltaTable.OpenAsync(rebuilt, path)).ReadAsync());
            var actual = TableRows.Of(await (await DeltaTable.OpenAsync(streamed, path)).ReadAsync());
            if (!expected.SequenceEqual(actual))
            {
                var missing = expected.Except(actual).FirstOrDefault();
                var extra = actual.Except(expected).FirstOrDefault();
                return $"{path}: {actual.Count} rows streamed, {expected.Count} rebuilt; first missing {missing ?? "-"}; first extra {extra ?? "-"}";
            }
        }

        return null;
    }
}
