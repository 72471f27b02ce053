using BenchmarkDotNet.Attributes;
using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.Lake.Storage;

namespace HealthcareOrleans.Benchmarks.Micro;

/// <summary>
/// 10,000 Bronze-shaped rows appended through <see cref="DeltaTable.AppendAsync"/> (data file, statistics, JSON commit,
/// and every tenth append a checkpoint, the default interval) against the same rows written by plain Parquet.Net to a
/// file on the same disk: the Ratio column is the Delta overhead. Every append goes to one table that grows through
/// the run, as Bronze does, so its checkpoints are the ones a live table of a few hundred files writes.
/// </summary>
[MemoryDiagnoser]
public class DeltaAppendBenchmarks
{
    private const int Rows = 10_000;

    private string _root = "";
    private string _plainFile = "";
    private DeltaBatch _batch = null!;
    private DeltaTable _table = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _root = ScratchDirectory.Create("append");
        _plainFile = Path.Combine(_root, "plain.parquet");
        _batch = BronzeRows.Batch(Rows);
        _table = await DeltaTable.CreateAsync(
            new LocalLakeStorage(Path.Combine(_root, "lake")),
            "bronze/patient_flow_raw",
            new DeltaTableDefinition { Schema = BronzeRows.Schema, PartitionColumns = ["ingest_date"] });
    }

    [GlobalCleanup]
    public void Cleanup() => ScratchDirectory.Delete(_root);

    [Benchmark(Baseline = true)]
    public Task PlainParquet() => BronzeRows.WritePlainParquetAsync(_batch, _plainFile);

    [Benchmark]
    public Task<DeltaCommitResult> DeltaAppend() => _table.AppendAsync(_batch);
}
