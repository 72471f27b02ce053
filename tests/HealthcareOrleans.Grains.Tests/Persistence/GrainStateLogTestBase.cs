using System.Reflection;
using HealthcareOrleans.Persistence.GrainStateLog;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;

namespace HealthcareOrleans.Grains.Tests.Persistence;

/// <summary>
/// A fresh folder per test, deleted afterwards, with the storages and logs the test opened over it (closed first:
/// a log left open keeps its writer thread and its LOCK), and helpers to look at the segment files.
/// </summary>
public abstract class GrainStateLogTestBase : IDisposable
{
    protected const string StorageName = "patients";

    /// <summary>Small enough that a few dozen states roll a segment, so compaction runs within a test.</summary>
    protected const long SmallSegmentBytes = 4 * 1024;

    private const long DefaultSegmentBytes = 64L * 1024 * 1024;

    private readonly List<GrainStateLogStorage> _openStorages = [];
    private readonly List<GrainStateLog> _acquiredLogs = [];

    protected static Serializer Serializer { get; } = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    protected static GrainId Grain { get; } = GrainId.Create("patient", "P-1001");

    protected string Root { get; } = Path.Combine(Path.GetTempPath(), "hc-state-log-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>Where <see cref="GrainStateLogStorage"/> keeps the log of storage <see cref="StorageName"/>.</summary>
    protected string LogFolder => Path.Combine(Root, StorageName + ".log");

    protected string LockFile => Path.Combine(LogFolder, "LOCK");

    public void Dispose()
    {
        try
        {
            foreach (var storage in _openStorages)
            {
                storage.Dispose();
            }

            foreach (var log in _acquiredLogs)
            {
                log.Release();
            }
        }
        finally
        {
            // Also after a failed close: a test that broke the log must not leave its folder behind.
            if (Directory.Exists(Root))
            {
                Directory.Delete(Root, recursive: true);
            }
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// A storage over <see cref="Root"/>; its log opens at its first use. Without a flush by default: the disk's
    /// durability is not what these tests can observe, and an fsync per write would make them slow.
    /// </summary>
    protected GrainStateLogStorage OpenStorage(long segmentBytes = DefaultSegmentBytes, bool flushToDisk = false)
    {
        var storage = new GrainStateLogStorage(StorageName, Options(segmentBytes, flushToDisk), Serializer, NullLogger<GrainStateLogStorage>.Instance);
        _openStorages.Add(storage);
        return storage;
    }

    /// <summary>Disposes a storage now rather than at the end of the test (once: a second dispose would release the shared log again).</summary>
    protected void Close(GrainStateLogStorage storage)
    {
        Assert.True(_openStorages.Remove(storage), "closed twice");
        storage.Dispose();
    }

    /// <summary>What a silo restart does to the storage: the log is closed, then opened and recovered from the files.</summary>
    protected GrainStateLogStorage Reopen(GrainStateLogStorage storage, long segmentBytes = DefaultSegmentBytes)
    {
        Close(storage);
        return OpenStorage(segmentBytes);
    }

    private protected GrainStateLog AcquireLog(string folder, long segmentBytes = DefaultSegmentBytes)
    {
        var log = GrainStateLog.Acquire(folder, Options(segmentBytes, flushToDisk: false), NullLogger.Instance);
        _acquiredLogs.Add(log);
        return log;
    }

    private protected void ReleaseLog(GrainStateLog log)
    {
        Assert.True(_acquiredLogs.Remove(log), "released more often than acquired");
        log.Release();
    }

    private protected static async Task<TestGrainState<CounterState>> Read(GrainStateLogStorage storage, GrainId grain, string stateName = "patient")
    {
        var state = new TestGrainState<CounterState>(new CounterState { Count = -1 });
        await storage.ReadStateAsync(stateName, grain, state);
        return state;
    }

    /// <summary>Writes a new state as an activation holding <paramref name="etag"/> would; returns it with the ETag the write gave.</summary>
    private protected static async Task<TestGrainState<CounterState>> Write(GrainStateLogStorage storage, GrainId grain, int count, string? etag = null, string? note = null, string stateName = "patient")
    {
        var state = new TestGrainState<CounterState>(new CounterState { Count = count, Note = note }) { ETag = etag };
        await storage.WriteStateAsync(stateName, grain, state);
        return state;
    }

    protected string[] SegmentFilesOnDisk() =>
        Directory.Exists(LogFolder) ? [.. Directory.GetFiles(LogFolder, "*.segment").Order(StringComparer.Ordinal)] : [];

    /// <summary>The intact records of a segment file, in order, as the log's recovery walks them.</summary>
    private protected static List<SegmentRecord> RecordsOf(string segmentPath)
    {
        var bytes = File.ReadAllBytes(segmentPath);
        var records = new List<SegmentRecord>();
        var offset = 0;
        while (offset + sizeof(uint) <= bytes.Length)
        {
            var length = sizeof(uint) + (long)(uint)StateLogRecord.FollowingLength(bytes.AsSpan(offset));
            if (offset + length > bytes.Length
                || !StateLogRecord.TryRead(bytes.AsSpan(offset, (int)length), out var kind, out _, out var hash, out var version, out var payload))
            {
                break;
            }

            records.Add(new SegmentRecord(offset, (int)length, kind, hash, version, payload.ToArray()));
            offset += (int)length;
        }

        return records;
    }

    protected static void FlipByte(string path, long offset)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        file.Position = offset;
        var original = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(original ^ 0x5A));
    }

    protected static UInt128 KeyHashOf(GrainId grain) => GrainStateLogStorage.KeyHash(grain.Key.AsSpan());

    /// <summary>
    /// Holds the log's lock on the calling thread: the writer can then neither take a batch nor finish one, so whatever
    /// this thread queues meanwhile stays queued. The log offers no hook to stop its writer, and this is the only way to
    /// look at a write between its enqueue and its commit without a timing race. Do not await while holding it.
    /// </summary>
    private protected static WriterHold HoldWriter(GrainStateLog log)
    {
        var gate = typeof(GrainStateLog).GetField("_gate", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(log)
            ?? throw new InvalidOperationException("GrainStateLog no longer has a _gate lock: update HoldWriter to how the log now guards its queue.");
        return new WriterHold(gate);
    }

    private GrainStateLogOptions Options(long segmentBytes, bool flushToDisk) =>
        new() { RootDirectory = Root, SegmentBytes = segmentBytes, FlushToDisk = flushToDisk };

    internal sealed class WriterHold : IDisposable
    {
        private readonly object _gate;

        public WriterHold(object gate)
        {
            _gate = gate;
            Monitor.Enter(_gate);
        }

        public void Dispose() => Monitor.Exit(_gate);
    }

    internal sealed record SegmentRecord(long Offset, int Length, StateLogRecordKind Kind, UInt128 KeyHash, long Version, byte[] Payload)
    {
        public long End => Offset + Length;
    }
}
