using System.Diagnostics;
using System.Globalization;

namespace HealthcareOrleans.Benchmarks;

/// <summary>
/// <c>scaling</c>: throughput and p99 latency when the engine holds 10,000, 100,000 and 1,000,000 distinct patients
/// (<c>--patients</c>), each level on fresh silos, and how both change with the number of patients.
/// </summary>
internal static class ScalingSuite
{
    /// <summary>A run at this many patients takes about a quarter of an hour at today's rate, so it runs once unless <c>--runs</c> says otherwise.</summary>
    private const int LongLevel = 1_000_000;

    public static async Task RunAsync(BenchmarkOptions options)
    {
        var phase = TimeSpan.FromSeconds(options.SecondsPerRate);
        Console.WriteLine(
            $"Scaling with work: {string.Join(", ", options.PatientLevels.Select(Text))} distinct patients (seed {BaselineSuite.ThroughputSeed}, produced while the silo drains), " +
            $"then {ScalingBenchmark.LatencyRate:N0} events/s of new patients for {options.SecondsPerRate} s with a probe every 50 ms, {options.Runs} runs{EndToEndSuite.SiloSettingsText(options)}");
        var load = await LatencyPhaseRunner.GenerateLoadAsync([(ScalingBenchmark.LatencyRate, phase)]);
        var throughputs = new List<(int Patients, double Value)>();
        var p99s = new List<(int Patients, double Value)>();
        foreach (var patients in options.PatientLevels)
        {
            var runs = patients >= LongLevel && !options.RunsGiven ? 1 : options.Runs;
            if (runs < options.Runs)
            {
                Console.WriteLine($"{Text(patients)} patients: 1 run, not {options.Runs} (a run takes about a quarter of an hour; --runs N runs it N times)");
            }

            var events = await SimulatedEventSet.GenerateForPatientsAsync(patients, BaselineSuite.ThroughputSeed);
            Console.WriteLine($"{Text(patients)} patients: {events.Describe()}");
            var table = new FigureTable($"Scaling with work: {Text(patients)} patients, {events.Count:N0} events, then {ScalingBenchmark.LatencyRate:N0}/s for {options.SecondsPerRate} s, {runs} runs");
            var watch = Stopwatch.StartNew();
            for (var run = 0; run < runs; run++)
            {
                var result = await ScalingBenchmark.RunAsync(options, events, load, phase);
                Console.Error.WriteLine($"scaling {Text(patients)} patients, run {run + 1}/{runs}: {result.Throughput}");
                if (!result.Throughput.Valid || result.Latency is null)
                {
                    Console.WriteLine($"INVALID scaling run {run + 1} at {Text(patients)} patients: {result.Throughput}");
                    continue;
                }

                Console.Error.WriteLine($"scaling {Text(patients)} patients, run {run + 1}/{runs}, at {ScalingBenchmark.LatencyRate:N0}/s: {result.Latency}");
                result.Throughput.AddFigures(table);
                if (result.Activations is { } activations)
                {
                    table.Add("resident patient grain activations after the drain", activations.Patients);
                    table.Add("resident grain activations after the drain, all types", activations.All);
                }

                result.Latency.AddFigures(table, $"at {ScalingBenchmark.LatencyRate:N0}/s");
                throughputs.Add((patients, result.Throughput.SustainedEventsPerSecond));
                p99s.Add((patients, result.Latency.Percentile(0.99)));
            }

            Console.Error.WriteLine($"scaling {Text(patients)} patients: {runs} runs took {watch.Elapsed.TotalSeconds:N0} s");
            table.Print();
        }

        Console.WriteLine();
        foreach (var line in ScalingShape.Describe("throughput (max sustained, median)", throughputs, higherIsBetter: true)
            .Concat(ScalingShape.Describe($"probe p99 at {ScalingBenchmark.LatencyRate:N0}/s (median)", p99s, higherIsBetter: false)))
        {
            Console.WriteLine(line);
        }
    }

    private static string Text(int patients) => patients.ToString("N0", CultureInfo.InvariantCulture);
}
