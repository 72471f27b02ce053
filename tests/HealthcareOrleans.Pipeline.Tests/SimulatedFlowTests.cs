using HealthcareOrleans.Contracts.Engine;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Contracts.Wards;
using HealthcareOrleans.Pipeline.Tests.Support;
using HealthcareOrleans.Simulation;
using HealthcareOrleans.Simulation.Faults;

namespace HealthcareOrleans.Pipeline.Tests;

[Collection(PipelineCollection.Name)]
public sealed class SimulatedFlowTests
{
    private static readonly DateTimeOffset SimulationStart = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Twenty_thousand_simulated_events_over_four_partitions_end_in_exactly_the_reference_state()
    {
        await using var pipeline = await PipelineCluster.StartAsync();
        var records = await pipeline.ProduceAsync(await SimulateAsync(20_000, seed: 7));
        Assert.Equal(4, records.Select(r => r.Partition).Distinct().Count());

        var reference = new ReferencePipeline();
        reference.ApplyAll(records);
        await AssertConvergesAsync(pipeline, reference, records.Count);
    }

    [Fact]
    public async Task Stopping_one_silo_mid_stream_still_ends_in_exactly_the_reference_state()
    {
        await using var pipeline = await PipelineCluster.StartAsync();
        var messages = await SimulateAsync(20_000, seed: 11, new FaultInjectionOptions { DuplicateRate = 0.02, OutOfOrderRate = 0.02, LateRate = 0.01 });
        var records = await pipeline.ProduceAsync(messages.Take(10_000));
        await Eventually.TrueAsync(async () => (await StatusAsync(pipeline)).EventsApplied >= 5_000, TimeSpan.FromSeconds(60),
            async () => $"{(await StatusAsync(pipeline)).EventsApplied} events applied before the stop");

        await pipeline.Cluster.StopSiloAsync(pipeline.Cluster.Silos[1]);
        records.AddRange(await pipeline.ProduceAsync(messages.Skip(10_000)));

        var reference = new ReferencePipeline();
        reference.ApplyAll(records);
        await AssertConvergesAsync(pipeline, reference, records.Count);
    }

    [Fact]
    public async Task A_ward_drops_an_occupant_whose_patient_says_it_is_elsewhere()
    {
        await using var pipeline = await PipelineCluster.StartAsync();
        var records = await pipeline.ProduceAsync(await SimulateAsync(3_000, seed: 5));
        var reference = new ReferencePipeline();
        reference.ApplyAll(records);
        await AssertConvergesAsync(pipeline, reference, records.Count);

        // What a ward holds after a silo died before its patient saved, and the patient's events came back reordered:
        // an occupant that the patient's own state does not place there.
        var ward = pipeline.Grains.GetGrain<IWardGrain>("RGH-AMU");
        var before = await ward.GetCensusAsync(includeOccupants: true);
        var elsewhere = reference.Patients.Keys.First(id => before.Occupants!.All(o => o.PatientId != id));
        await ward.ApplyAsync(new WardUpdate(elsewhere, "E-stale", WardPresence.Present, "AMU-99", before.AsOf, 3, []));
        Assert.Equal(before.Occupied + 1, (await ward.GetCensusAsync(includeOccupants: false)).Occupied);

        await Eventually.TrueAsync(async () => (await ward.GetCensusAsync(includeOccupants: false)).Occupied == before.Occupied, TimeSpan.FromSeconds(20),
            async () => $"RGH-AMU still holds {(await ward.GetCensusAsync(includeOccupants: false)).Occupied} occupants, {before.Occupied} expected");
        await AssertConvergesAsync(pipeline, reference, records.Count);
    }

    private static async Task AssertConvergesAsync(PipelineCluster pipeline, ReferencePipeline reference, int produced)
    {
        await Eventually.TrueAsync(async () => (await StatusAsync(pipeline)).Silos.SelectMany(s => s.Partitions).Sum(p => p.NextOffset) >= produced,
            TimeSpan.FromSeconds(120), async () => $"receivers reached {(await StatusAsync(pipeline)).Silos.SelectMany(s => s.Partitions).Sum(p => p.NextOffset)} of {produced}");
        List<string> differences = [];
        await Eventually.TrueAsync(async () => (differences = await LiveState.DifferencesAsync(pipeline.Grains, reference)).Count == 0,
            TimeSpan.FromSeconds(60), () => Task.FromResult($"{differences.Count} grains differ from the reference (which rejected {string.Join(", ", reference.Rejections.Select(r => $"{r.Value} {r.Key}"))}); first: {differences.FirstOrDefault()}"));
    }

    private static async Task<EngineStatus> StatusAsync(PipelineCluster pipeline) =>
        await pipeline.Grains.GetGrain<IEngineStatusGrain>(0).GetAsync();

    private static async Task<List<(string? Key, byte[] Value)>> SimulateAsync(int count, int seed, FaultInjectionOptions? faults = null)
    {
        var simulator = new PatientFlowSimulator(new SimulationOptions
        {
            Seed = seed,
            Start = SimulationStart,
            Count = count,
            Faults = faults ?? FaultInjectionOptions.None,
        });
        var messages = new List<(string? Key, byte[] Value)>(count);
        await foreach (var message in simulator.GenerateAsync())
        {
            messages.Add((message.Key, message.Value));
        }

        return messages;
    }
}
