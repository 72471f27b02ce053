namespace HealthcareOrleans.Benchmarks;

/// <summary><c>grain-memory</c>: bytes per resident idle patient grain (target ≤ 4 KiB), <c>--grains N</c> a run (100,000; 10,000 with --quick).</summary>
internal static class GrainMemorySuite
{
    public static async Task RunAsync(BenchmarkOptions options)
    {
        var grains = options.Grains;
        var table = new FigureTable($"Memory per idle patient grain (ARRIVAL, ADMIT, DISCHARGE each), {grains:N0} grains, {options.Runs} runs");
        for (var run = 0; run < options.Runs; run++)
        {
            var result = await GrainMemoryBenchmark.RunAsync(grains);
            Console.Error.WriteLine($"grain-memory run {run + 1}/{options.Runs}: {result.ManagedBytesPerGrain:N0} B managed heap, {result.ResidentBytesPerGrain:N0} B resident per grain; fed in {result.Activation.TotalSeconds:N1} s");
            table.Add("managed heap per grain after full GC (bytes)", result.ManagedBytesPerGrain);
            table.Add("process resident memory per grain (bytes)", result.ResidentBytesPerGrain);
            table.Add($"activation and 3 events for {grains:N0} grains (s)", result.Activation.TotalSeconds, "N1");
        }

        table.Print();
    }
}
