using System.Globalization;

namespace HealthcareOrleans.Benchmarks;

/// <summary>
/// <c>latency</c>: probe latency at 1,000 and 10,000 events/s and at 80 % of the measured maximum throughput (given with
/// <c>--max-rate N</c>, else measured first with one <c>e2e</c> run).
/// </summary>
internal static class LatencySuite
{
    public static async Task RunAsync(BenchmarkOptions options, double? measuredMaxRate)
    {
        var maxRate = measuredMaxRate ?? options.MaxRate;
        if (maxRate is null)
        {
            Console.WriteLine("No --max-rate given: measuring it with one end-to-end run first.");
            maxRate = await EndToEndSuite.RunAsync(options with { Runs = 1 });
        }

        double[] rates = [.. new[] { 1_000, 10_000, Math.Round(maxRate.Value * 0.8 / 10) * 10 }.Where(r => r > 0).Distinct().Order()];
        Console.WriteLine($"Latency under load: rates {string.Join(", ", rates.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))} events/s (80 % of max {maxRate:N0}), {options.SecondsPerRate} s each, a probe every 50 ms, {options.Runs} runs{EndToEndSuite.SiloSettingsText(options)}");
        var table = new FigureTable($"Latency, produce → state visible through the gateway (ms), {options.Runs} runs");
        for (var run = 0; run < options.Runs; run++)
        {
            foreach (var phase in await LatencyBenchmark.RunAsync(options, rates))
            {
                phase.AddFigures(table, $"at {phase.TargetRate:N0}/s");
            }
        }

        table.Print();
    }
}
