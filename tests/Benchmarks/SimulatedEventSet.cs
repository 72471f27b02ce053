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
    /// A fixed simulated start far enough back that the simulator, which never runs past the wall clock, can produce a
    /// few million events as fast as it is able to.
    /// </summary>
    public static readonly DateTimeOffset Start = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private SimulatedEventSet(IReadOnlyList<WorkloadMessage> messages, int seed, TimeSpan generationTime)
    {
        Messages = messages;
        Seed = seed;
        GenerationTime = generationTime;
    }

    public IReadOnlyList<WorkloadMessage> Messages { get; }

    public int Seed { get; }

    public TimeSpan GenerationTime { get; }

    public int Count => Messages.Count;

    public long PayloadBytes => Messages.Sum(m => (long)m.Value.Length);

    public int DistinctPatients => Messages.Select(m => m.Key).Distinct(StringComparer.Ordinal).Count();

    public static async Task<SimulatedEventSet> GenerateAsync(int count, int seed, SimulationFormat format = SimulationFormat.Adt)
    {
        var watch = Stopwatch.StartNew();
        var simulator = new PatientFlowSimulator(new SimulationOptions { Seed = seed, Start = Start, Speed = 0, Count = count, Format = format });
        var messages = new List<WorkloadMessage>(count);
        await foreach (var message in simulator.GenerateAsync())
        {
            messages.Add(new WorkloadMessage(message.Key, message.Value));
        }

        return new SimulatedEventSet(messages, seed, watch.Elapsed);
    }

    public string Describe() =>
        $"{Count:N0} simulator events (seed {Seed}, start {Start:yyyy-MM-dd}, {DistinctPatients:N0} patients, {PayloadBytes / (double)Count:N0} B each on average; generated in {GenerationTime.TotalSeconds:N1} s, not measured)";
}
