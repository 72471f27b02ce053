using BenchmarkDotNet.Attributes;
using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Storage;

namespace HealthcareOrleans.Benchmarks.Micro;

/// <summary>
/// <see cref="DeltaTable.OpenAsync"/> of a table whose log holds <see cref="Commits"/> commits with checkpoints at the
/// default interval (every 10): list the log, read the last checkpoint and replay the commits after it. The table is
/// built once per benchmark process; building 10,000 commits takes far longer than the measurement.
/// </summary>
[MemoryDiagnoser]
public class DeltaOpenBenchmarks
{
    private const string TablePath = "open";

    private string _root = "";
    private LocalLakeStorage _storage = null!;

    [Params(1_000, 10_000)]
    public int Commits { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _root = ScratchDirectory.Create("open");
        _storage = new LocalLakeStorage(_root);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await BronzeRows.CreateTableOfCommitsAsync(_storage, TablePath, Commits);
        Console.WriteLine($"// built a table of {Commits:N0} commits in {watch.Elapsed.TotalSeconds:N1} s");
    }

    [GlobalCleanup]
    public void Cleanup() => ScratchDirectory.Delete(_root);

    [Benchmark]
    public async Task<long> Open() => (await DeltaTable.OpenAsync(_storage, TablePath)).Version;
}
