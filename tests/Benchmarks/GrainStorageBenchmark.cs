using System.Diagnostics;
using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.PatientFlow.Hospital;
using HealthcareOrleans.PatientFlow.Patients;
using HealthcareOrleans.PatientFlow.Silver;
using HealthcareOrleans.Persistence.GrainStateLog;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Serialization;

namespace HealthcareOrleans.Benchmarks;

/// <summary>
/// <c>grain-storage</c>: <see cref="GrainStateLogStorage"/> alone, no silo. Realistic states (the simulator's patients
/// after 3–8 Silver events, applied by the real <see cref="PatientIntake"/> and <see cref="WardSync"/> as the grain does)
/// are read and written through one storage instance under a fresh folder on the machine's temp disk: reads of states
/// never written (every new patient's activation), first writes, rewrites with the ETag of the previous write (the
/// steady state), and reads of existing states. Each phase runs one operation at a time (one activation's view: a write
/// waits for its own group commit) and with 256 in flight (many grains saving at once, as in a drain: the log commits
/// them in groups). Each phase reports operations per second, median latency, the process's user and kernel CPU per
/// operation and bytes allocated per operation over the whole process (the log's writer thread included).
/// </summary>
internal static class GrainStorageBenchmark
{
    private const int MinEvents = 3;
    private const int MaxEvents = 8;
    private const int ConcurrentWriters = 256;

    public static async Task RunAsync(BenchmarkOptions options)
    {
        var states = await RealisticStatesAsync();
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        var sizes = states.Select(s => serializer.SerializeToArray(s).Length).Order().ToArray();
        Console.WriteLine($"{states.Count:N0} patient states after {MinEvents}–{MaxEvents} events: serialized {sizes[0]:N0} / {sizes[sizes.Length / 2]:N0} / {sizes[^1]:N0} bytes (min / median / max), plus a 49-byte record header in the log");

        // One untimed pass so that JIT and the file system's first directory creations are not in the figures.
        await RunOnceAsync(serializer, states, flushToDisk: false, grains: 500, inFlight: ConcurrentWriters, table: null);

        foreach (var (flush, inFlight) in new[] { (false, 1), (false, ConcurrentWriters), (true, 1), (true, ConcurrentWriters) })
        {
            // One fsync'd write at a time costs about a millisecond here: fewer grains keep that run near the others' length.
            var grains = (options.Quick, flush && inFlight == 1) switch
            {
                (true, true) => 200,
                (true, false) => 2_000,
                (false, true) => 5_000,
                (false, false) => 20_000,
            };
            var table = new FigureTable($"GrainStateLogStorage, FlushToDisk {(flush ? "on" : "off")}, {grains:N0} grains, {inFlight} operation(s) in flight, {options.Runs} runs");
            for (var run = 0; run < options.Runs; run++)
            {
                await RunOnceAsync(serializer, states, flush, grains, inFlight, table);
                Console.Error.WriteLine($"grain-storage FlushToDisk={flush} in flight {inFlight} run {run + 1}/{options.Runs} done; load {MachineDescription.LoadAverage()}");
            }

            table.Print();
        }
    }

    private static async Task RunOnceAsync(Serializer serializer, IReadOnlyList<PatientState> states, bool flushToDisk, int grains, int inFlight, FigureTable? table)
    {
        var root = Directory.CreateTempSubdirectory("hc-bench-storage-").FullName;
        try
        {
            using var storage = new GrainStateLogStorage("patients", new GrainStateLogOptions { RootDirectory = root, FlushToDisk = flushToDisk }, serializer, NullLogger<GrainStateLogStorage>.Instance);
            var ids = Enumerable.Range(0, grains).Select(i => GrainId.Create("patient", $"BENCH-{i:D7}")).ToArray();
            var handles = ids.Select(_ => new Handle(new PatientState())).ToArray();

            var missing = await MeasureAsync(grains, inFlight, async i =>
            {
                await storage.ReadStateAsync("patient", ids[i], handles[i]);
                if (handles[i].RecordExists)
                {
                    throw new InvalidOperationException("A grain that was never written reads as existing; the figures would be meaningless.");
                }
            });

            var firstWrite = await MeasureAsync(grains, inFlight, async i =>
            {
                handles[i].State = states[i % states.Count];
                await storage.WriteStateAsync("patient", ids[i], handles[i]);
            });

            var rewrite = await MeasureAsync(grains, inFlight, i => storage.WriteStateAsync("patient", ids[i], handles[i]));

            var readBack = ids.Select(_ => new Handle(new PatientState())).ToArray();
            var existing = await MeasureAsync(grains, inFlight, async i =>
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

    private static async Task<PhaseResult> MeasureAsync(int count, int inFlight, Func<int, Task> operation)
    {
        var latencies = new long[count];
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var (userBefore, kernelBefore) = (process.UserProcessorTime, process.PrivilegedProcessorTime);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        for (var first = 0; first < count; first += inFlight)
        {
            await Task.WhenAll(Enumerable.Range(first, Math.Min(inFlight, count - first)).Select(async i =>
            {
                var started = Stopwatch.GetTimestamp();
                await operation(i);
                latencies[i] = Stopwatch.GetTimestamp() - started;
            }));
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
