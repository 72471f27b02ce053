using HealthcareOrleans.Contracts.Engine;
using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.Contracts.Wards;
using HealthcareOrleans.Grains;
using HealthcareOrleans.Grains.Engine;
using HealthcareOrleans.Pipeline.Tests.Support;
using HealthcareOrleans.PatientFlow.Patients;
using HealthcareOrleans.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace HealthcareOrleans.Pipeline.Tests;

/// <summary>
/// A ward's receipt for a partition read lets the read's patients save without calling the ward again, once the ward
/// stored it; a receipt that crossed silos, or of updates not yet stored, never reads as stored, so those patients
/// confirm as before.
/// </summary>
[Collection(PipelineCollection.Name)]
public sealed class WardReceiptTests
{
    [Fact]
    public async Task Patients_in_the_silo_of_their_wards_save_without_confirming_once_the_wards_stored_the_read()
    {
        // The wards write half a patient's write delay after an update: 1 s before the patients save.
        await using var pipeline = await PipelineCluster.StartAsync(silos: 1, stateWriteDelay: TimeSpan.FromSeconds(2));
        var simulator = new PatientFlowSimulator(new SimulationOptions { Seed = 3, Start = new DateTimeOffset(2026, 2, 2, 0, 0, 0, TimeSpan.Zero), Count = 3_000 });
        var messages = new List<(string? Key, byte[] Value)>();
        await foreach (var message in simulator.GenerateAsync())
        {
            messages.Add((message.Key, message.Value));
        }

        var records = await pipeline.ProduceAsync(messages);
        var reference = new ReferencePipeline();
        reference.ApplyAll(records);

        var silo = pipeline.Cluster.Silos[0].ServiceProvider;
        var storage = silo.GetRequiredKeyedService<IGrainStorage>(StorageNames.Patients);
        var unsaved = reference.Patients.Keys.ToHashSet(StringComparer.Ordinal);
        await Eventually.TrueAsync(async () =>
        {
            foreach (var patientId in unsaved.ToList())
            {
                var state = new GrainState<PatientState>();
                await storage.ReadStateAsync("patient", pipeline.Grains.GetGrain<IPatientGrain>(patientId).GetGrainId(), state);
                if (state.RecordExists && state.State?.EventsApplied == reference.ViewOf(patientId).EventsApplied)
                {
                    unsaved.Remove(patientId);
                }
            }

            return unsaved.Count == 0;
        }, TimeSpan.FromSeconds(90), () => Task.FromResult($"{unsaved.Count} of {reference.Patients.Count} patients not saved with all their events"));

        Assert.Empty(await LiveState.DifferencesAsync(pipeline.Grains, reference));

        // Without receipts every saved patient confirms with its ward (one call per patient and ward at least).
        var confirmations = silo.GetRequiredService<PipelineCounters>().WardConfirmations;
        Assert.True(confirmations <= reference.Patients.Count / 20,
            $"{confirmations} ward confirmations for {reference.Patients.Count} saved patients; the receipts should have spared nearly all");
    }

    [Fact]
    public async Task A_receipt_is_shared_within_the_silo_and_never_reads_as_stored_once_it_crossed_silos()
    {
        await using var pipeline = await PipelineCluster.StartAsync(silos: 1);
        var silo = pipeline.Cluster.Silos[0].ServiceProvider;
        var mark = new WardStorageMark();
        var deltas = new WardDeltas(["RGH-AMU", "RGH-CCU", "RGH-AMU"], [Update("P1"), Update("P1"), Update("P1")]);
        deltas.Acknowledge("RGH-AMU", new WardReceipt(mark, change: 7));

        Assert.False(deltas.IsStored(0));
        mark.Stored(6);
        Assert.False(deltas.IsStored(0));
        mark.Stored(7);
        Assert.True(deltas.IsStored(0));
        Assert.False(deltas.IsStored(1));
        Assert.True(deltas.IsStored(2));

        // Within a silo a grain call copies arguments and results with the deep copier: the very object arrives.
        Assert.Same(deltas, silo.GetRequiredService<DeepCopier<WardDeltas>>().Copy(deltas));

        // Between silos it is serialized: the copy has the updates but no receipts, and a receipt has no mark.
        var serializer = silo.GetRequiredService<Serializer>();
        var remote = serializer.Deserialize<WardDeltas>(serializer.SerializeToArray(deltas))!;
        Assert.Equal(deltas.WardIds, remote.WardIds);
        Assert.All(Enumerable.Range(0, remote.Count), i => Assert.False(remote.IsStored(i)));
        var receipt = serializer.Deserialize<WardReceipt>(serializer.SerializeToArray(new WardReceipt(mark, change: 7)))!;
        Assert.Equal(7, receipt.Change);
        Assert.Null(receipt.Mark);
        Assert.False(receipt.IsStored);
    }

    private static WardUpdate Update(string patientId) =>
        new(patientId, "E1", WardPresence.Present, "B1", new DateTimeOffset(2026, 2, 2, 8, 0, 0, TimeSpan.Zero), 3, []);
}
