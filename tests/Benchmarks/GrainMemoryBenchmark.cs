using System.Diagnostics;
using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Grains;
using HealthcareOrleans.Grains.Hosting;
using HealthcareOrleans.Grains.Patients;
using HealthcareOrleans.Persistence.GrainStateLog;
using HealthcareOrleans.LocalCluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Storage;

namespace HealthcareOrleans.Benchmarks;

/// <param name="ManagedBytesPerGrain">Growth of the managed heap after a full, compacting GC, divided by the grains.</param>
/// <param name="ResidentBytesPerGrain">Growth of the process' resident memory, divided by the grains.</param>
internal sealed record GrainMemoryResult(int Grains, double ManagedBytesPerGrain, double ResidentBytesPerGrain, TimeSpan Activation);

/// <summary>
/// Memory per resident idle patient grain: an in-process silo (localhost clustering, the patient and ward grains,
/// grain state in the local state log, without fsync) receives a short realistic history — ARRIVAL, ADMIT, DISCHARGE — for each of N patients
/// through <see cref="IPatientGrain.ReceiveAsync"/>, waits until every state write is done, then compares the managed
/// heap after a full compacting GC with the heap before. The grains were fed by direct calls, not through the stream,
/// so a stream-fed grain's subscription handle is not in the figure.
/// </summary>
internal static class GrainMemoryBenchmark
{
    private const int Concurrency = 512;
    private const int WarmUpPatients = 1_000;

    public static async Task<GrainMemoryResult> RunAsync(int grains)
    {
        var stateDirectory = Directory.CreateTempSubdirectory("hc-bench-grains-").FullName;
        try
        {
            using var host = new HostBuilder()
                .UseOrleans(silo =>
                {
                    // The embedded profile's own single-silo setup, directory settings included.
                    silo.UseSingleLocalSilo(LoopbackPorts.Free(), LoopbackPorts.Free(), serviceId: "grain-memory", clusterId: "grain-memory");
                    silo.AddPatientFlowGrains(HospitalLayout.Default, configure: o => o.StateWriteDelay = TimeSpan.FromMilliseconds(500));
                    silo.AddLocalGrainStateLog(StorageNames.Patients, stateDirectory, flushToDisk: false);
                    silo.AddLocalGrainStateLog(StorageNames.Wards, stateDirectory, flushToDisk: false);

                    // Feeding a million patients takes longer than Orleans' 15-minute default collection age: the first
                    // ones would be deactivated before the heap is read, and the figure divided by grains that are gone.
                    silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromHours(6));
                })
                .Build();
            await host.StartAsync();
            var factory = host.Services.GetRequiredService<IGrainFactory>();
            var patientStates = (GrainStateLogStorage)host.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Patients);

            // Warm up: the ward grains, JIT and Orleans' own structures exist before the baseline is taken.
            await FeedAsync(factory, "MEMWARM", WarmUpPatients);
            await WaitForStateWritesAsync(patientStates, WarmUpPatients);
            var (heapBefore, residentBefore) = (FullGcHeap(), ProcessResources.Self().ResidentBytes);

            var watch = Stopwatch.StartNew();
            await FeedAsync(factory, "MEM", grains);
            var activation = watch.Elapsed;
            await WaitForStateWritesAsync(patientStates, WarmUpPatients + grains);
            var (heapAfter, residentAfter) = (FullGcHeap(), ProcessResources.Self().ResidentBytes);

            // The grains must all still be resident, or the figure measures nothing.
            var resident = (await factory.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics())
                .Where(s => s.GrainType.Contains(nameof(PatientGrain), StringComparison.Ordinal))
                .Sum(s => s.ActivationCount);
            if (resident < WarmUpPatients + grains)
            {
                throw new InvalidOperationException($"Only {resident:N0} of the {WarmUpPatients + grains:N0} patient grains fed are resident; the memory figure would be meaningless.");
            }

            if (await factory.GetGrain<IPatientGrain>(PatientId("MEM", grains - 1)).GetAsync() is not { EventsApplied: 3 })
            {
                throw new InvalidOperationException("The last patient grain does not hold its three events; the memory figure would be meaningless.");
            }

            await host.StopAsync();
            return new GrainMemoryResult(grains, (heapAfter - heapBefore) / (double)grains, (residentAfter - residentBefore) / (double)grains, activation);
        }
        finally
        {
            Directory.Delete(stateDirectory, recursive: true);
        }
    }

    private static async Task FeedAsync(IGrainFactory factory, string prefix, int count)
    {
        var hospital = HospitalLayout.Default.Hospitals[0];
        var ward = hospital.Wards[0];
        var appendedAt = DateTime.UtcNow;
        var arrivedAt = new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);
        var offset = 0L;
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (n, _) =>
        {
            var patientId = PatientId(prefix, n);
            var encounterId = patientId + "-E1";
            var grain = factory.GetGrain<IPatientGrain>(patientId);
            PatientFlowEvent[] history =
            [
                new($"{patientId}-1", PatientFlowEventType.Arrival, arrivedAt, hospital.HospitalId, patientId, encounterId, null, null, null, null, 3,
                    new PatientDemographics("F", new DateOnly(1960, 5, 17), null, "SW1A 1AA", "NHS"), 1),
                new($"{patientId}-2", PatientFlowEventType.Admit, arrivedAt.AddHours(2), hospital.HospitalId, patientId, encounterId, ward.WardId, null, null, ward.Department, 3, null, 1),
                new($"{patientId}-3", PatientFlowEventType.Discharge, arrivedAt.AddDays(4), hospital.HospitalId, patientId, encounterId, ward.WardId, null, null, ward.Department, null, null, 1),
            ];
            foreach (var evt in history)
            {
                await grain.ReceiveAsync(new BrokerRecord(PatientFlowStreams.DefaultTopic, 0, Interlocked.Increment(ref offset), appendedAt, patientId, PatientFlowEncoder.Encode(evt)));
            }
        });
    }

    private static string PatientId(string prefix, int n) => $"{prefix}-{n:D7}";

    /// <summary>
    /// Waits until every patient fed so far has its state in the log, nothing is queued, and the grains' delayed state
    /// writes have stopped adding states.
    /// </summary>
    private static async Task WaitForStateWritesAsync(GrainStateLogStorage states, int patients)
    {
        const int givingUpAfterUnchangedPolls = 15;
        var (last, unchanged) = (-1, 0);
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            var stored = states.StoredStates;
            unchanged = stored == last ? unchanged + 1 : 0;
            if (unchanged > 0 && stored >= patients && states.QueuedWrites == 0)
            {
                return;
            }

            if (unchanged >= givingUpAfterUnchangedPolls)
            {
                throw new InvalidOperationException($"The state writes stopped at {stored:N0} states, fewer than the {patients:N0} patients fed; the memory figure would include unfinished writes.");
            }

            last = stored;
        }
    }

    private static long FullGcHeap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
