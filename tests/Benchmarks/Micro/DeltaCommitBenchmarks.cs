using BenchmarkDotNet.Attributes;
using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.Lake.Storage;

namespace HealthcareOrleans.Benchmarks.Micro;

/// <summary>
/// Latency of one small commit on local disk: 20 Bronze rows appended with a txn action (an idempotent writer's
/// offset), as the Bronze flusher commits. Each iteration is <see cref="CommitsPerIteration"/> commits into a fresh
/// table, so the mean includes the checkpoint written every tenth commit (default interval) but the log does not grow
/// with however many iterations BenchmarkDotNet decides to run.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(CommitsPerIteration)]
public class DeltaCommitBenchmarks
{
    public const int CommitsPerIteration = 100;

    private string _root = "";
    private LocalLakeStorage _storage = null!;
    private DeltaBatch _rows = null!;
    private DeltaTable _table = null!;
    private int _tables;
    private long _version;

    [GlobalSetup]
    public void Setup()
    {
        _root = ScratchDirectory.Create("commit");
        _storage = new LocalLakeStorage(_root);
        _rows = BronzeRows.Batch(20);
    }

    [GlobalCleanup]
    public void Cleanup() => ScratchDirectory.Delete(_root);

    [IterationSetup]
    public void CreateTable()
    {
        _table = DeltaTable.CreateAsync(_storage, TablePath(++_tables), new DeltaTableDefinition { Schema = BronzeRows.Schema, PartitionColumns = ["ingest_date"] })
            .GetAwaiter().GetResult();
        _version = 0;
    }

    [IterationCleanup]
    public void DeleteTable() => ScratchDirectory.Delete(Path.Combine(_root, TablePath(_tables)));

    [Benchmark]
    public Task<DeltaCommitResult> SmallAppendCommit() =>
        _table.AppendAsync(_rows, new DeltaWriteOptions { ApplicationId = "patient-flow/0", ApplicationVersion = ++_version });

    private static string TablePath(int n) => "commit" + n;
}
