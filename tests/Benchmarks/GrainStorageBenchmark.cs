using System.Diagnostics;
using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Grains.Hospital;
using HealthcareOrleans.Grains.Patients;
using HealthcareOrleans.Grains.Persistence;
using HealthcareOrleans.Grains.Silver;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Serialization;

namespace HealthcareOrleans.Benchmarks;

/// <summary>
/// <c>grain-storage</c>: <see cref="LocalFileGrainStorage"/> alone, no silo. Realistic states (the simulator's patients
/// after 3–8 Silver events, applied by the real <see cref="PatientIntake"/> and <see cref="WardSync"/> as the grain does) are read and written one at a time, as an
/// activation does, through one storage instance under a fresh folder on the machine's temp disk: reads of states never
/// written (every new patient's activation), first writes, rewrites with the ETag of the previous write (the steady
/// state), and reads of existing states. Each phase reports operations per second, the process's user and kernel CPU
/// per operation (the kernel's inode and rename work is part of what the silo profile charged to this class, and the
/// part this class does not control), and bytes allocated per operation over the whole process, since async file I/O
/// continues on pool threads that a per-thread counter would miss.
/// </summary>
/// <remarks>
/// Each run deletes its folder, and on an ext4 without a journal (this machine's) the inodes it frees make creating
/// files in the next minutes slower (the allocator skips recently deleted inodes): kernel CPU per write depends on what
/// ran on the disk just before, this benchmark's earlier runs included.
/// </remarks>
internal static class GrainStorageBenchmark
{
    private const int MinEvents = 3;
    private const int MaxEvents = 8;

    public static async Task RunAsync(BenchmarkOptions options)
    {
        var states = await RealisticStatesAsync();
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        var sizes = states.Select(s => serializer.SerializeToArray(s).Length).Order().ToArray();
        Console.WriteLine($"{states.Count:N0} patient states after {MinEvents}–{MaxEvents} events: serialized {sizes[0]:N0} / {sizes[sizes.Length / 2]:N0} / {sizes[^1]:N0} bytes (min / median / max), 8-byte header on disk");

        // One untimed pass so that JIT and the file system's first directory creations are not in the figures.
        await RunOnceAsync(serializer, states, flushToDisk: false, grains: 500, table: null);

        foreach (var flush in new[] { false, true })
        {
            // fsync per write costs milliseconds on this disk: fewer grains keep a FlushToDisk run near the others' length.
            var grains = (options.Quick, flush) switch
            {
                (true, false) => 2_000,
                (true, true) => 200,
                (false, false) => 20_000,
                (false, true) => 5_000,
            };
            var table = new FigureTable($"LocalFileGrainStorage, FlushToDisk {(flush ? "on" : "off")}, {grains:N0} grains, one operation at a time, {options.Runs} runs");
            for (var run = 0; run < options.Runs; run++)
            {
                await RunOnceAsync(serializer, states, flush, grains, table);
                Console.Error.WriteLine($"grain-storage FlushToDisk={flush} run {run + 1}/{options.Runs} done; load {MachineDescription.LoadAverage()}");
            }

            table.Print();
        }
    }

    private static async Task RunOnceAsync(Serializer serializer, IReadOnlyList<PatientState> states, bool flushToDisk, int grains, FigureTable? table)
    {
        var root = Directory.CreateTempSubdirectory("hc-bench-storage-").FullName;
        try
        {
            var storage = new LocalFileGrainStorage("patients", new LocalFileGrainStorageOptions { RootDirectory = root, FlushToDisk = flushToDisk }, serializer);
            var ids = Enumerable.Range(0, grains).Select(i => GrainId.Create("patient", $"BENCH-{i:D7}")).ToArray();
            var handles = ids.Select(_ => new Handle(new PatientState())).ToArray();

            var missing = await MeasureAsync(grains, async i =>
            {
                await storage.ReadStateAsync("patient", ids[i], handles[i]);
                if (handles[i].RecordExists)
                {
                    throw new InvalidOperationException("A grain that was never written reads as existing; the figures would be meaningless.");
                }
            });

            var firstWrite = await MeasureAsync(grains, async i =>
            {
                handles[i].State = states[i % states.Count];
                await storage.WriteStateAsync("patient", ids[i], handles[i]);
            });

            var rewrite = await MeasureAsync(grains, i => storage.WriteStateAsync("patient", ids[i], handles[i]));

            var readBack = ids.Select(_ => new Handle(new PatientState())).ToArray();
            var existing = await MeasureAsync(grains, async i =>
            {
                await storage.ReadStateAsync("patient", ids[i], readBack[i]);
                if (readBack[i].ETag != "2" || readBack[i].State.EventsApplied != handles[i].State.EventsApplied)
                {
                    throw new InvalidOperationException($"Grain {ids[i]} read back ETag {readBack[i].ETag}, not the second write's; the figures would be meaningless.");
                }
            });

            if (table is null)
            {
                return;
            }

            foreach (var (name, result) in new[] { ("read, state never written", missing), ("first write (ETag null)", firstWrite), ("rewrite (ETag of the previous write)", rewrite), ("read, existing state", existing) })
            {
                table.Add($"{name}: operations/s", result.PerSecond);
                table.Add($"{name}: median latency (µs)", result.MedianMicroseconds, "N1");
                table.Add($"{name}: CPU per operation, user (µs)", result.UserMicroseconds, "N1");
                table.Add($"{name}: CPU per operation, kernel (µs)", result.KernelMicroseconds, "N1");
                table.Add($"{name}: allocated per operation (bytes)", result.AllocatedBytes);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>What an activation's persistent state hands the storage: the same object for every call of one grain.</summary>
    private sealed class Handle(PatientState state) : IGrainState<PatientState>
    {
        [System.Diagnostics.CodeAnalysis.AllowNull]
        public PatientState State { get; set; } = state;

        public string? ETag { get; set; }

        public bool RecordExists { get; set; }
    }

    /// <param name="MedianMicroseconds">
    /// Less sensitive than operations/s to other work on the machine: a loaded scheduler delays some operations by a
    /// whole time slice, and takes a single-threaded loop's share of the cores more than a loop spread over pool threads.
    /// </param>
    private readonly record struct PhaseResult(double PerSecond, double MedianMicroseconds, double UserMicroseconds, double KernelMicroseconds, double AllocatedBytes);

    private static async Task<PhaseResult> MeasureAsync(int count, Func<int, Task> operation)
    {
        var latencies = new long[count];
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var (userBefore, kernelBefore) = (process.UserProcessorTime, process.PrivilegedProcessorTime);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await operation(i);
            latencies[i] = Stopwatch.GetTimestamp() - started;
        }

        watch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        process.Refresh();
        Array.Sort(latencies);
        return new PhaseResult(
            count / watch.Elapsed.TotalSeconds,
            Stopwatch.GetElapsedTime(0, latencies[count / 2]).TotalMicroseconds,
            (process.UserProcessorTime - userBefore).TotalMicroseconds / count,
            (process.PrivilegedProcessorTime - kernelBefore).TotalMicroseconds / count,
            allocated / (double)count);
    }

    /// <summary>The simulator's patients (seed 1, as the throughput runs) after a handful of events, through the real Silver rules.</summary>
    private static async Task<List<PatientState>> RealisticStatesAsync()
    {
        var events = await SimulatedEventSet.GenerateAsync(30_000, seed: 1);
        var intake = new PatientIntake(new PatientFlowDecoder(), new SilverCleansing(new HospitalDirectory(HospitalLayout.Default)), Options.Create(new PatientGrainOptions()));
        var patients = new Dictionary<string, PatientState>(StringComparer.Ordinal);
        var appendedAt = DateTime.UtcNow;
        var offset = 0L;
        foreach (var message in events.Messages)
        {
            if (!patients.TryGetValue(message.Key, out var state))
            {
                patients.Add(message.Key, state = new PatientState());
            }

            if (intake.Apply(state, message.Key, new BrokerRecord(PatientFlowStreams.DefaultTopic, 0, offset++, appendedAt, message.Key, message.Value)).Changed
                && WardSync.Plan(message.Key, state.Timeline.Project(message.Key), state.SentFacts, state.SentPlacement) is { } plan)
            {
                // What the grain records as told to the wards is part of the state it writes.
                state.SentFacts = plan.SentFacts;
                state.SentPlacement = plan.Placement;
            }
        }

        var chosen = patients.Values.Where(p => p.EventsApplied is >= MinEvents and <= MaxEvents).ToList();
        return chosen.Count > 0 ? chosen : throw new InvalidOperationException($"The simulator produced no patient with {MinEvents}–{MaxEvents} events.");
    }
}
