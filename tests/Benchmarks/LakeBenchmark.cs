using System.Diagnostics;
using System.Globalization;
using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.Lake.Schema;
using HealthcareOrleans.Lake.Storage;
using Parquet;
using Parquet.Schema;

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

    private static readonly DeltaSchema Bronze = new(
        DeltaField.String("topic", nullable: false),
        DeltaField.Integer("partition", nullable: false),
        DeltaField.Long("offset", nullable: false),
        DeltaField.String("key"),
        DeltaField.String("payload"),
        DeltaField.Timestamp("received_at", nullable: false),
        DeltaField.Date("ingest_date", nullable: false));

    public static async Task RunAsync(int runs)
    {
        var root = Path.Combine(Path.GetTempPath(), "hc-lake-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        List<double> deltaRowsPerSecond = [], parquetRowsPerSecond = [], p50 = [], p99 = [], openWith = [], openWithout = [];
        try
        {
            var batch = BronzeBatch(BatchRows);
            for (var run = 0; run < runs; run++)
            {
                var storage = new LocalLakeStorage(Path.Combine(root, "run" + run));
                parquetRowsPerSecond.Add(BatchRows / await TimeAsync(() => PlainParquetAsync(batch, Path.Combine(root, $"plain{run}.parquet"))));
                var table = await DeltaTable.CreateAsync(storage, "bronze/patient_flow_raw", new DeltaTableDefinition { Schema = Bronze, PartitionColumns = ["ingest_date"] });
                deltaRowsPerSecond.Add(BatchRows / await TimeAsync(() => table.AppendAsync(batch)));

                var small = BronzeBatch(20);
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

        Console.WriteLine($"Lake benchmark, {runs} runs, {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
        Console.WriteLine("| measure | min | median | max |");
        Console.WriteLine("|---|---|---|---|");
        Row("append 100k Bronze rows through DeltaTable (rows/s)", deltaRowsPerSecond, "N0");
        Row("plain Parquet.Net write of the same rows, baseline (rows/s)", parquetRowsPerSecond, "N0");
        Row("Delta append / plain Parquet (×)", deltaRowsPerSecond.Zip(parquetRowsPerSecond, (d, p) => d / p).ToList(), "N2");
        Row($"commit latency p50, {SmallCommits} commits of 20 rows with txn (ms)", p50, "N2");
        Row($"commit latency p99, {SmallCommits} commits of 20 rows with txn (ms)", p99, "N2");
        Row($"open a table of {OpenCommits} commits, checkpoint every 10 (ms)", openWith, "N1");
        Row($"open a table of {OpenCommits} commits, no checkpoint (ms)", openWithout, "N1");
    }

    private static void Row(string name, List<double> values, string format)
    {
        var sorted = values.Order().ToList();
        Console.WriteLine($"| {name} | {sorted[0].ToString(format, CultureInfo.InvariantCulture)} | {sorted[sorted.Count / 2].ToString(format, CultureInfo.InvariantCulture)} | {sorted[^1].ToString(format, CultureInfo.InvariantCulture)} |");
    }

    private static async Task<double> OpenTimeAsync(LocalLakeStorage storage, string path, int checkpointInterval)
    {
        var table = await DeltaTable.CreateAsync(storage, path, new DeltaTableDefinition
        {
            Schema = Bronze,
            Properties = new Dictionary<string, string> { [TableProperties.CheckpointInterval] = checkpointInterval.ToString(CultureInfo.InvariantCulture) },
        });
        var one = BronzeBatch(1);
        for (var i = 1; i < OpenCommits; i++)
        {
            await table.AppendAsync(one);
        }

        return await TimeAsync(async () => await DeltaTable.OpenAsync(storage, path));
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        return watch.Elapsed.TotalSeconds;
    }

    private static async Task PlainParquetAsync(DeltaBatch batch, string file)
    {
        DataField[] fields =
        [
            new DataField<string>("topic", true), new DataField<int?>("partition"), new DataField<long?>("offset"), new DataField<string>("key", true),
            new DataField<string>("payload", true), new DateTimeDataField("received_at", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true),
        ];
        await using var stream = File.Create(file);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(fields[0], batch.Column<string?>("topic")!);
        await group.WriteAsync<int>(fields[1], batch.Column<int?>("partition"));
        await group.WriteAsync<long>(fields[2], batch.Column<long?>("offset"));
        await group.WriteAsync(fields[3], batch.Column<string?>("key")!);
        await group.WriteAsync(fields[4], batch.Column<string?>("payload")!);
        await group.WriteAsync<DateTime>(fields[5], batch.Column<DateTimeOffset?>("received_at").Select(t => t?.UtcDateTime).ToArray());
    }

    private static DeltaBatch BronzeBatch(int rows)
    {
        var random = new Random(42);
        var topic = new string?[rows];
        var partition = new int?[rows];
        var offset = new long?[rows];
        var key = new string?[rows];
        var payload = new string?[rows];
        var received = new DateTimeOffset?[rows];
        var day = new DateOnly?[rows];
        var start = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < rows; i++)
        {
            topic[i] = "patient-flow";
            partition[i] = i % 4;
            offset[i] = i;
            key[i] = "P" + random.Next(100_000).ToString("D6", CultureInfo.InvariantCulture);
            payload[i] = $"{{\"event_id\":\"{Guid.NewGuid()}\",\"event_type\":\"TRANSFER\",\"occurred_at\":\"2026-11-25T08:{i % 60:D2}:00+01:00\",\"hospital_id\":\"H1\",\"patient_id\":\"{key[i]}\",\"encounter_id\":\"E{i}\",\"ward_id\":\"W{i % 20}\",\"bed_id\":\"B{i % 30}\",\"department\":\"cardiology\",\"acuity\":3,\"schema_version\":1}}";
            received[i] = start.AddMilliseconds(i);
            day[i] = DateOnly.FromDateTime(start.UtcDateTime);
        }

        return new DeltaBatch(
            DeltaColumn.String("topic", topic), DeltaColumn.Integer("partition", partition), DeltaColumn.Long("offset", offset),
            DeltaColumn.String("key", key), DeltaColumn.String("payload", payload), DeltaColumn.Timestamp("received_at", received), DeltaColumn.Date("ingest_date", day));
    }
}
