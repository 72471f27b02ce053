using System.Collections.Concurrent;
using HealthcareOrleans.Contracts.Lake;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Medallion.Lake;
using HealthcareOrleans.Streaming.Kafka.Tap;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Medallion.Bronze;

/// <summary>
/// This silo's Bronze writer: the Kafka receivers' record sink. Buffers each partition it reads and commits each
/// buffer to <c>bronze/patient_flow_raw</c> as a blind append carrying <c>txn(appId = source/topic/partition,
/// version = last offset)</c>. Before each commit it re-reads the table's txn versions and drops rows at or below them,
/// so a partition read twice (a restart, a handover between silos, a commit whose outcome was unknown) is written once.
/// Silos commit concurrently; Delta's optimistic concurrency orders them, and a concurrent commit for the same
/// partition is a conflict that the next flush resolves by re-reading the txn version.
/// </summary>
public sealed partial class BronzeWriter(
    ILakeStorage storage,
    IOptions<LakeOptions> options,
    TimeProvider clock,
    ILogger<BronzeWriter> logger) : IReceivedRecordSink, IDisposable
{
    private readonly LakeOptions _options = options.Value;
    private readonly ConcurrentDictionary<ReceivedPartition, BronzePartitionBuffer> _buffers = new();
    private readonly ConcurrentDictionary<ReceivedPartition, long> _deliverable = new();
    private readonly ConcurrentDictionary<ReceivedPartition, long> _durableNext = new();
    // One committer per silo at a time: DeltaTable instances are not safe for concurrent writes, and this
    // serialises a receiver's stop-flush with the periodic flush of the same partition.
    private readonly SemaphoreSlim _flushLock = new(1, 1);
    private readonly SemaphoreSlim _rowsReached = new(0, 1);
    private DeltaTable? _table;
    private long _rowsTotal;

    /// <summary>Rows read and not yet committed, over all partitions of this silo.</summary>
    public long Pending => _buffers.Values.Sum(b => (long)b.Count);

    /// <summary>How long the oldest uncommitted row has waited.</summary>
    public TimeSpan? Lag => _buffers.Values.Select(b => b.OldestReceivedAt).Where(t => t is not null).Min() is { } oldest ? clock.GetUtcNow() - oldest : null;

    public long RowsTotal => Interlocked.Read(ref _rowsTotal);

    public void Received(ReceivedPartition partition, BrokerRecord record)
    {
        var count = _buffers.GetOrAdd(partition, static _ => new BronzePartitionBuffer()).Add(record, clock.GetUtcNow());
        if (count >= _options.BronzeFlushRows && _rowsReached.CurrentCount == 0)
        {
            try
            {
                _rowsReached.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another thread signalled first: one wake-up is enough.
            }
        }
    }

    /// <summary>Completes when a buffer reached <see cref="LakeOptions.BronzeFlushRows"/>, or after <paramref name="timeout"/>.</summary>
    public Task<bool> WaitForFullBufferAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _rowsReached.WaitAsync(timeout, cancellationToken);

    public async ValueTask<long?> GetResumeOffsetAsync(ReceivedPartition partition, CancellationToken cancellationToken)
    {
        await _flushLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var table = await RefreshedTableAsync(cancellationToken).ConfigureAwait(false);
            var committed = table.GetTransactionVersion(BronzeTable.ApplicationId(partition));
            if (committed is { } offset)
            {
                _durableNext[partition] = offset + 1;
                return offset + 1;
            }

            return null;
        }
        finally
        {
            _flushLock.Release();
        }
    }

    public long? GetDurableNextOffset(ReceivedPartition partition) =>
        _durableNext.TryGetValue(partition, out var next) ? next : null;

    public void Deliverable(ReceivedPartition partition, long nextOffset) => _deliverable[partition] = nextOffset;

    public async Task PartitionStoppingAsync(ReceivedPartition partition, long? deliveredNextOffset, CancellationToken cancellationToken)
    {
        if (deliveredNextOffset is { } delivered)
        {
            // The next owner resumes at the delivered position: what lies beyond it is read again there, not here.
            _deliverable[partition] = delivered;
            if (_buffers.TryGetValue(partition, out var buffer))
            {
                buffer.ForgetFrom(delivered);
            }
        }

        var result = await FlushAsync([partition], cancellationToken).ConfigureAwait(false);
        LogPartitionHandedOver(logger, partition.Topic, partition.Partition, result.Rows);
    }

    /// <summary>Commits every partition's buffer. Throws when any partition failed (after trying all of them); failed rows stay buffered.</summary>
    public Task<BronzeFlushResult> FlushAllAsync(CancellationToken cancellationToken) => FlushAsync([.. _buffers.Keys], cancellationToken);

    public void Dispose()
    {
        _flushLock.Dispose();
        _rowsReached.Dispose();
    }

    private async Task<BronzeFlushResult> FlushAsync(IReadOnlyList<ReceivedPartition> partitions, CancellationToken cancellationToken)
    {
        await _flushLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var table = await RefreshedTableAsync(cancellationToken).ConfigureAwait(false);
            var rows = 0L;
            var commits = 0;
            List<Exception>? failures = null;
            foreach (var partition in partitions.OrderBy(p => p.Partition))
            {
                try
                {
                    var written = await FlushPartitionAsync(table, partition, cancellationToken).ConfigureAwait(false);
                    rows += written;
                    commits += written > 0 ? 1 : 0;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    LogPartitionFlushFailed(logger, partition.Topic, partition.Partition, ex);
                    (failures ??= []).Add(ex);
                    // The instance's snapshot may be behind after a lost race: start the next partition from the log.
                    await table.RefreshAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            Interlocked.Add(ref _rowsTotal, rows);
            if (failures is not null)
            {
                throw new AggregateException($"Bronze flush failed for {failures.Count} of {partitions.Count} partitions; their rows stay buffered and are retried.", failures);
            }

            return new BronzeFlushResult(rows, commits, table.Version);
        }
        finally
        {
            _flushLock.Release();
        }
    }

    private async Task<long> FlushPartitionAsync(DeltaTable table, ReceivedPartition partition, CancellationToken cancellationToken)
    {
        if (!_buffers.TryGetValue(partition, out var buffer))
        {
            return 0;
        }

        var appId = BronzeTable.ApplicationId(partition);
        var committed = table.GetTransactionVersion(appId) ?? -1;
        buffer.DropThrough(committed);
        // Only rows their consumers have been given: at a handover Bronze and the consumers then stop at one offset.
        var rows = buffer.Snapshot(_deliverable.TryGetValue(partition, out var deliverable) ? deliverable : null);
        if (committed >= 0)
        {
            _durableNext[partition] = committed + 1;
        }

        if (rows.Length == 0)
        {
            return 0;
        }

        var last = rows[^1].Offset;
        var result = await table.AppendAsync(
            BronzeTable.ToBatch(partition.SourceId, rows, _options.BronzeMaxPayloadBytes),
            new DeltaWriteOptions { ApplicationId = appId, ApplicationVersion = last, MergeSchema = true },
            cancellationToken).ConfigureAwait(false);

        // Committed, or skipped because another silo committed this partition up to (at least) our last offset first:
        // either way every buffered row is in the table now.
        var durable = Math.Max(last, table.GetTransactionVersion(appId) ?? last);
        buffer.DropThrough(durable);
        _durableNext[partition] = durable + 1;
        if (!result.Committed)
        {
            LogAlreadyCommitted(logger, partition.Topic, partition.Partition, last);
            return 0;
        }

        LogCommitted(logger, partition.Topic, partition.Partition, rows.Length, last, result.Version);
        return rows.Length;
    }

    private async Task<DeltaTable> RefreshedTableAsync(CancellationToken cancellationToken)
    {
        if (_table is null)
        {
            _table = await DeltaTable.OpenOrCreateAsync(storage, BronzeTable.Path, BronzeTable.Definition, cancellationToken: cancellationToken).ConfigureAwait(false);
            return _table;
        }

        await _table.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return _table;
    }

    /// <summary>This silo's Bronze status for <c>hc flush status</c>.</summary>
    public FlushStatus Status(string silo, BronzeFlushResult? last) => new()
    {
        Layer = LakeLayers.Bronze,
        Table = BronzeTable.Path,
        Writer = silo,
        RowsLastFlush = last?.Rows ?? 0,
        RowsTotal = RowsTotal,
        TableVersion = last?.TableVersion ?? _table?.Version,
        Pending = Pending,
        Lag = Lag,
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "Bronze {Topic}/{Partition}: committed {Rows} rows up to offset {LastOffset} as table version {Version}")]
    private static partial void LogCommitted(ILogger logger, string topic, int partition, int rows, long lastOffset, long version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bronze {Topic}/{Partition}: offsets up to {LastOffset} were already committed by another writer; nothing added")]
    private static partial void LogAlreadyCommitted(ILogger logger, string topic, int partition, long lastOffset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bronze {Topic}/{Partition}: flush failed; rows stay buffered for the next attempt")]
    private static partial void LogPartitionFlushFailed(ILogger logger, string topic, int partition, Exception ex);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bronze {Topic}/{Partition}: receiver stopping, {Rows} buffered rows committed")]
    private static partial void LogPartitionHandedOver(ILogger logger, string topic, int partition, long rows);
}
