namespace HealthcareOrleans.Benchmarks;

/// <summary><c>e2e</c>: the baseline, then the whole pipeline over the same events, in one invocation.</summary>
internal static class EndToEndSuite
{
    public static async Task<double> RunAsync(BenchmarkOptions options)
    {
        var events = await SimulatedEventSet.GenerateAsync(options.Events, BaselineSuite.ThroughputSeed);
        Console.WriteLine($"End-to-end throughput over {events.Describe()}; silo {options.SiloPath}{SiloSettingsText(options)}");
        var table = new FigureTable($"End-to-end throughput, {options.Runs} runs each (baseline after one warm-up run)");
        var baseline = await BaselineSuite.MeasureAsync(events, options.Runs, table);
        var sustained = new List<double>();
        for (var run = 0; run < options.Runs; run++)
        {
            var result = await EndToEndBenchmark.RunAsync(options, events, baseline.EventsApplied);
            Console.Error.WriteLine($"e2e run {run + 1}/{options.Runs}: {result}");
            if (!result.Valid)
            {
                Console.WriteLine($"INVALID e2e run {run + 1}: {result}");
                continue;
            }

            sustained.Add(result.SustainedEventsPerSecond);
            result.AddFigures(table);
            table.Add("pipeline / baseline median (×)", result.SustainedEventsPerSecond / baseline.EventsPerSecond, "N2");
        }

        table.Print();
        return sustained.Count > 0 ? FigureTable.Median([.. sustained.Order()]) : double.NaN;
    }

    public static string SiloSettingsText(BenchmarkOptions options) =>
        options.SiloSettings.Count == 0 ? string.Empty : " with " + string.Join(" ", options.SiloSettings.Select(s => $"{s.Key}={s.Value}"));
}
