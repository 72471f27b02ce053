using System.Diagnostics;
using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Storage;

namespace HealthcareOrleans.Benchmarks;

/// <summary>
/// Lake figures on local disk: Bronze-like append throughput through the Delta table against a plain Parquet.Net write
/// of the same rows (the baseline, same run), commit latency of small commits, and table open time with and without
/// checkpoints.
/// </summary>
internal static class LakeBenchmark
{
    private const int BatchRows = 100_000;
    private const int SmallCommits = 250;
    private const int OpenCommits = 1_000;

    public static async Task RunAsync(int runs)
    {
        var root = Path.Combine(Path.GetTempPath(), "hc-lake-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        List<double> deltaRowsPerSecond = [], parquetRowsPerSecond = [], p50 = [], p99 = [], openWith = [], openWithout = [];
        try
        {
            var batch = BronzeRows.Batch(BatchRows);
            for (var run = 0; run < runs; run++)
            {
                var storage = new LocalLakeStorage(Path.Combine(root, "run" + run));
                parquetRowsPerSecond.Add(BatchRows / await TimeAsync(() => BronzeRows.WritePlainParquetAsync(batch, Path.Combine(root, $"plain{run}.parquet"))));
                var table = await DeltaTable.CreateAsync(storage, "bronze/patient_flow_raw", new DeltaTableDefinition { Schema = BronzeRows.Schema, PartitionColumns = ["ingest_date"] });
                deltaRowsPerSecond.Add(BatchRows / await TimeAsync(() => table.AppendAsync(batch)));

                var small = BronzeRows.Batch(20);
                List<double> latencies = [];
                for (var i = 0; i < SmallCommits; i++)
                {
                    latencies.Add(await TimeAsync(() => table.AppendAsync(small, new DeltaWriteOptions { ApplicationId = "patient-flow/0", ApplicationVersion = i })) * 1000);
                }

                latencies.Sort();
                p50.Add(latencies[latencies.Count / 2]);
                p99.Add(latencies[(int)Math.Ceiling(latencies.Count * 0.99) - 1]);

                openWith.Add(await OpenTimeAsync(storage, "open/with", checkpointInterval: 10) * 1000);
                openWithout.Add(await OpenTimeAsync(storage, "open/without", checkpointInterval: int.MaxValue) * 1000);
                Console.Error.WriteLine($"run {run + 1}/{runs} done");
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        var figures = new FigureTable($"Lake benchmark, {runs} runs, {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
        Add(figures, "append 100k Bronze rows through DeltaTable (rows/s)", deltaRowsPerSecond, "N0");
        Add(figures, "plain Parquet.Net write of the same rows, baseline (rows/s)", parquetRowsPerSecond, "N0");
        Add(figures, "Delta append / plain Parquet (×)", [.. deltaRowsPerSecond.Zip(parquetRowsPerSecond, (d, p) => d / p)], "N2");
        Add(figures, $"commit latency p50, {SmallCommits} commits of 20 rows with txn (ms)", p50, "N2");
        Add(figures, $"commit latency p99, {SmallCommits} commits of 20 rows with txn (ms)", p99, "N2");
        Add(figures, $"open a table of {OpenCommits} commits, checkpoint every 10 (ms)", openWith, "N1");
        Add(figures, $"open a table of {OpenCommits} commits, no checkpoint (ms)", openWithout, "N1");
        figures.Print();
    }

    private static void Add(FigureTable figures, string name, List<double> values, string format)
    {
        foreach (var value in values)
        {
            figures.Add(name, value, format);
        }
    }

    private static async Task<double> OpenTimeAsync(LocalLakeStorage storage, string path, int checkpointInterval)
    {
        await BronzeRows.CreateTableOfCommitsAsync(storage, path, OpenCommits, checkpointInterval);
        return await TimeAsync(async () => await DeltaTable.OpenAsync(storage, path));
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        return watch.Elapsed.TotalSeconds;
    }
}
