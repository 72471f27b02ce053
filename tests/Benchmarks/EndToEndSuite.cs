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
            Console.Error.WriteLine($"e2e run {run + 1}/{options.Runs}: {Describe(result)}");
            if (!result.Valid)
            {
                Console.WriteLine($"INVALID e2e run {run + 1}: {Describe(result)}");
                continue;
            }

            sustained.Add(result.SustainedEventsPerSecond);
            table.Add("pipeline, max sustained (events/s)", result.SustainedEventsPerSecond);
            table.Add("pipeline / baseline median (×)", result.SustainedEventsPerSecond / baseline.EventsPerSecond, "N2");
            table.Add("backlog drained, silo ready → all applied, lag 0 (s)", result.Drain.TotalSeconds, "N1");
            table.Add("silo CPU while draining (cores of 2)", result.SiloCpuCores, "N2");
            table.Add("events per silo CPU-second (baseline: its events/s)", result.EventsApplied / (result.SiloCpuCores * result.Drain.TotalSeconds));
            table.Add("benchmark process (broker) CPU while draining (cores)", result.HarnessCpuCores, "N2");
            table.Add("silo peak RSS (MiB)", result.SiloPeakResidentBytes / 1048576.0, "N0");
        }

        table.Print();
        return sustained.Count > 0 ? FigureTable.Median([.. sustained.Order()]) : double.NaN;
    }

    public static string SiloSettingsText(BenchmarkOptions options) =>
        options.SiloSettings.Count == 0 ? string.Empty : " with " + string.Join(" ", options.SiloSettings.Select(s => $"{s.Key}={s.Value}"));

    private static string Describe(ThroughputResult r) =>
        $"{r.SustainedEventsPerSecond:N0} events/s sustained, drained in {r.Drain.TotalSeconds:N1} s, silo CPU {r.SiloCpuCores:N2} cores, harness CPU {r.HarnessCpuCores:N2} cores, " +
        $"peak RSS {r.SiloPeakResidentBytes / 1048576.0:N0} MiB, applied {r.EventsApplied:N0}, rejected {r.MessagesRejected:N0}, skipped {r.MessagesSkipped:N0}" +
        (r.Completed ? string.Empty : " — NOT COMPLETED (timeout or skipped messages)");
}
