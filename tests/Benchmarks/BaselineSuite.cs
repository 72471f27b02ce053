namespace HealthcareOrleans.Benchmarks;

/// <summary><c>baseline</c>: the single-threaded reference, over the same events the engine benchmarks use.</summary>
internal static class BaselineSuite
{
    /// <summary>The events of the throughput runs: seed 1 from <see cref="SimulatedEventSet.Start"/>.</summary>
    public const int ThroughputSeed = 1;

    public static async Task RunAsync(BenchmarkOptions options)
    {
        var events = await SimulatedEventSet.GenerateAsync(options.Events, ThroughputSeed);
        Console.WriteLine($"Baseline over {events.Describe()}");
        var table = new FigureTable($"Baseline, {options.Runs} runs after one warm-up run");
        await MeasureAsync(events, options.Runs, table);
        table.Print();
    }

    /// <summary>
    /// One warm-up run (JIT, tiered compilation, first allocations of the dictionary), then <paramref name="runs"/>
    /// measured ones added to <paramref name="table"/>. Returns the median events/s and what the rules accepted.
    /// </summary>
    public static async Task<BaselineResult> MeasureAsync(SimulatedEventSet events, int runs, FigureTable table)
    {
        await BaselineBenchmark.RunAsync(events);
        var results = new List<BaselineResult>();
        for (var run = 0; run < runs; run++)
        {
            var result = await BaselineBenchmark.RunAsync(events);
            Console.Error.WriteLine($"baseline run {run + 1}/{runs}: {result.EventsPerSecond:N0} events/s ({result.EventsApplied:N0} applied, {result.EventsRejected:N0} rejected, {result.Patients:N0} patients, {result.ParquetBytes:N0} B Parquet)");
            table.Add("baseline: decode + Silver rules + Parquet in memory, 1 thread (events/s)", result.EventsPerSecond);
            results.Add(result);
        }

        return results.OrderBy(r => r.EventsPerSecond).ElementAt(results.Count / 2);
    }
}
