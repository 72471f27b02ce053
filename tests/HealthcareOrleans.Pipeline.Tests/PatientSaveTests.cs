using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Contracts.Wards;
using HealthcareOrleans.Grains;
using HealthcareOrleans.Grains.Hosting;
using HealthcareOrleans.Persistence.GrainStateLog;
using HealthcareOrleans.PatientFlow.Patients;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace HealthcareOrleans.Pipeline.Tests;

/// <summary>
/// A patient's background save waits for its wards and for storage. The records that reach the patient meanwhile must
/// not wait for it (they would hold up the whole partition read that carries them), and the state the save stores
/// must still claim only ward updates the wards confirmed before it.
/// </summary>
public sealed class PatientSaveTests
{
    private static readonly HospitalDefinition Hospital = HospitalLayout.Default.Hospitals[0];
    private static readonly WardDefinition Ward = Hospital.Wards[0];

    [Fact]
    public async Task Records_that_arrive_while_a_save_waits_for_storage_apply_at_once_and_the_save_claims_only_what_the_wards_confirmed()
    {
        var storage = new GatedPatientStorage();
        var stateDirectory = Directory.CreateTempSubdirectory("hc-patient-save-").FullName;
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddPatientFlowGrains(HospitalLayout.Default, configure: o => o.StateWriteDelay = TimeSpan.FromMilliseconds(100));
            silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Patients, storage);
            silo.AddLocalGrainStateLog(StorageNames.Wards, stateDirectory, flushToDisk: false);
        });
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        try
        {
            const string patientId = "SAVE-0001";
            var patient = cluster.Client.GetGrain<IPatientGrain>(patientId);
            var ward = cluster.Client.GetGrain<IWardGrain>(Ward.WardId);
            var admitted = await patient.ApplyBatchAsync(Batch(patientId, 0, Event(patientId, 1, PatientFlowEventType.Arrival, 0), Event(patientId, 2, PatientFlowEventType.Admit, 1)));
            Assert.Contains(Ward.WardId, admitted.WardIds);

            // The save confirmed the admission with the ward and is now held inside the patient's state write.
            await storage.FirstWriteStarted.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(1, (await ward.GetCensusAsync(includeOccupants: false)).Occupied);

            var discharged = await patient.ApplyBatchAsync(Batch(patientId, 2, Event(patientId, 3, PatientFlowEventType.Discharge, 30)))
                .WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(0, discharged.Count);
            Assert.Equal(PatientStatus.Discharged, (await patient.GetAsync())!.Status);

            // What the held write stores is what the ward confirmed: the admission, not the discharge it has not heard of.
            Assert.Equal((Ward.WardId, WardPresence.Present), (storage.Placements[0]!.WardId, storage.Placements[0]!.Presence));

            storage.Release();
            await Eventually(async () => await ward.GetCensusAsync(includeOccupants: false) is { Occupied: 0, DischargesToday: 1 });
            await Eventually(() => Task.FromResult(storage.Placements.Count >= 2 && storage.Placements[^1] is null));
        }
        finally
        {
            storage.Release();
            await cluster.StopAllSilosAsync();
            Directory.Delete(stateDirectory, recursive: true);
        }
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 30 s.");
            await Task.Delay(50);
        }
    }

    private static PatientFlowEvent Event(string patientId, int n, PatientFlowEventType type, int hours) =>
        new($"{patientId}-{n}", type, new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero).AddHours(hours), Hospital.HospitalId, patientId,
            $"{patientId}-E1", type == PatientFlowEventType.Arrival ? null : Ward.WardId, null, null, null, 3, null, 1);

    private static BrokerRecordBatch Batch(string patientId, long firstOffset, params PatientFlowEvent[] events) =>
        new([.. events.Select((e, i) => new BrokerRecord(PatientFlowStreams.DefaultTopic, 0, firstOffset + i, DateTime.UtcNow, patientId, PatientFlowEncoder.Encode(e)))]);

    /// <summary>Patient state in memory; the first write is held until <see cref="Release"/>.</summary>
    private sealed class GatedPatientStorage : IGrainStorage
    {
        private readonly TaskCompletionSource _firstWriteStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _version;

        public Task FirstWriteStarted => _firstWriteStarted.Task;

        /// <summary>What each write claimed the wards were told, in write order (taken when the write began).</summary>
        public List<PlacementSnapshot?> Placements { get; } = [];

        public void Release() => _released.TrySetResult();

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;

        public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            lock (Placements)
            {
                Placements.Add(((PatientState)(object)grainState.State!).SentPlacement);
            }

            _firstWriteStarted.TrySetResult();
            await _released.Task;
            grainState.ETag = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;
    }
}
