using System.Diagnostics;
using HealthcareOrleans.Simulation;

namespace HealthcareOrleans.Benchmarks;

/// <summary>One topic message of a benchmark workload: key = patient id, value = the JSON event.</summary>
internal readonly record struct WorkloadMessage(string Key, byte[] Value);

/// <summary>
/// The simulator's messages, generated once and held in memory so that no figure includes generation. A fixed seed
/// and a fixed start reproduce the same bytes in every invocation; different seeds give disjoint patient and event ids.
/// </summary>
internal sealed class SimulatedEventSet
{
    /// <summary>
    /// A fixed simulated start for the sets counted in events: the default hospital sees about 22,000 new patients
    /// (66,000 events) a simulated year, so this start leaves room for about 450,000 events before the simulation
    /// reaches the wall clock, which it never runs past.
    /// </summary>
    public static readonly DateTimeOffset Start = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The start of the sets counted in patients: a million distinct patients take the default hospital about 45
    /// simulated years, which <see cref="Start"/> does not leave before the wall clock; this one leaves room for about
    /// 1.4 million.
    /// </summary>
    public static readonly DateTimeOffset LongHistoryStart = new(1960, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // The simulator waits for real time once it catches up with the wall clock; a set that needs more history than its
    // start leaves would stall for years, so generation stops with an error this close to it instead.
    private static readonly TimeSpan WallClockMargin = TimeSpan.FromDays(1);

    private SimulatedEventSet(IReadOnlyList<WorkloadMessage> messages, int seed, DateTimeOffset start, TimeSpan generationTime)
    {
        Messages = messages;
        Seed = seed;
        SimulatedStart = start;
        GenerationTime = generationTime;
    }

    public IReadOnlyList<WorkloadMessage> Messages { get; }

    public int Seed { get; }

    public DateTimeOffset SimulatedStart { get; }

    public TimeSpan GenerationTime { get; }

    public int Count => Messages.Count;

    public long PayloadBytes => Messages.Sum(m => (long)m.Value.Length);

    public int DistinctPatients => Messages.Select(m => m.Key).Distinct(StringComparer.Ordinal).Count();

    public static Task<SimulatedEventSet> GenerateAsync(int count, int seed, SimulationFormat format = SimulationFormat.Adt) =>
        GenerateAsync(new SimulationOptions { Seed = seed, Start = StartFor(count), Speed = 0, Count = count, Format = format }, count, _ => false);

    // A set larger than Start leaves room for (a latency load at a high maximum rate) starts at LongHistoryStart;
    // the sets of the throughput runs stay where their figures were always taken.
    private static DateTimeOffset StartFor(int count) => count <= 400_000 ? Start : LongHistoryStart;

    /// <summary>
    /// ADT messages from <see cref="LongHistoryStart"/> up to and including the one that brings the number of distinct
    /// patient keys to <paramref name="patients"/>: the same seed gives the smaller sets as prefixes of the larger.
    /// </summary>
    public static Task<SimulatedEventSet> GenerateForPatientsAsync(int patients, int seed)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        // About 3.06 messages per patient; a little more capacity than that avoids the list's last doubling.
        return GenerateAsync(
            new SimulationOptions { Seed = seed, Start = LongHistoryStart, Speed = 0, Format = SimulationFormat.Adt },
            (int)Math.Min(int.MaxValue, patients * 3.2),
            message => keys.Add(message.Key) && keys.Count >= patients);
    }

    private static async Task<SimulatedEventSet> GenerateAsync(SimulationOptions options, int capacity, Func<WorkloadMessage, bool> isLast)
    {
        var watch = Stopwatch.StartNew();
        var messages = new List<WorkloadMessage>(capacity);
        await foreach (var simulated in new PatientFlowSimulator(options).GenerateAsync())
        {
            if (simulated.SimulatedAt > DateTimeOffset.UtcNow - WallClockMargin)
            {
                throw new InvalidOperationException(
                    $"The simulation from {options.Start:yyyy-MM-dd} reached the wall clock after {messages.Count:N0} messages; this workload needs an earlier start.");
            }

            var message = new WorkloadMessage(simulated.Key, simulated.Value);
            messages.Add(message);
            if (isLast(message))
            {
                break;
            }
        }

        return new SimulatedEventSet(messages, options.Seed, options.Start!.Value, watch.Elapsed);
    }

    public string Describe() =>
        $"{Count:N0} simulator events (seed {Seed}, start {SimulatedStart:yyyy-MM-dd}, {DistinctPatients:N0} patients, {PayloadBytes / (double)Count:N0} B each on average; generated in {GenerationTime.TotalSeconds:N1} s, not measured)";
}
