using System.Buffers;
using Microsoft.Extensions.Logging;

namespace HealthcareOrleans.Persistence.GrainStateLog;

/// <summary>
/// The log's writes: version-checked appends queued under the gate, committed in groups by the writer thread (one
/// write and one flush per group), and undone together when the disk refuses them.
/// </summary>
internal sealed partial class GrainStateLog
{
    /// <summary>
    /// Appends a state if the grain's stored version is still <paramref name="expectedVersion"/> (0: none); the task
    /// gives the new version once the record is on disk. A stale version fails with <see cref="StateLogConflictException"/>.
    /// </summary>
    public Task<long> WriteAsync(StateLogKey key, long expectedVersion, byte[] state) => Enqueue(key, expectedVersion, StateLogRecordKind.State, state);

    /// <summary>Records that a grain has no state any more, under the same version check as <see cref="WriteAsync"/>.</summary>
    public Task<long> ClearAsync(StateLogKey key, long expectedVersion) => Enqueue(key, expectedVersion, StateLogRecordKind.Cleared, []);

    private Task<long> Enqueue(StateLogKey key, long expectedVersion, StateLogRecordKind kind, byte[] payload)
    {
        lock (_gate)
        {
            ThrowIfUnusable();
            var folder = FolderOf(key.Folder);
            var found = folder.TryGetValue(key.Hash, out var location);
            var stored = StoredVersion(key, found ? location : null);
            if (stored != expectedVersion)
            {
                throw new StateLogConflictException(stored, expectedVersion);
            }

            var version = (found ? location.Version : 0) + 1;
            var append = new Append(key, kind, version, payload, found ? location.Version : 0, _pending.GetValueOrDefault(key));
            folder[key.Hash] = found ? location with { Version = version } : new Location(version, NoSegment, 0, 0);
            _pending[key] = append;
            _queue.Add(append);
            Monitor.Pulse(_gate);
            return append.Done.Task;
        }
    }

    /// <summary>What a writer's ETag must match: 0 when the grain has no state (never written, or its latest record is a clear).</summary>
    private long StoredVersion(StateLogKey key, Location? location)
    {
        if (_pending.TryGetValue(key, out var pending))
        {
            return pending.Kind == StateLogRecordKind.State ? pending.Version : 0;
        }

        return location is { Segment: not NoSegment } l && !_segments[l.Segment].IsClear(l) ? l.Version : 0;
    }

    private void WriteLoop()
    {
        while (true)
        {
            lock (_gate)
            {
                while (_queue.Count == 0 && !_stopping)
                {
                    Monitor.Wait(_gate);
                }

                if (_queue.Count == 0)
                {
                    return;
                }

                (_queue, _committing) = (_committing, _queue);
            }

            try
            {
                Commit(_committing);
                foreach (var append in _committing)
                {
                    append.Done.TrySetResult(append.Version);
                }
            }
            catch (Exception ex)
            {
                Undo(_committing, ex);
            }

            _committing.Clear();
            CompactOneSegment();
        }
    }

    /// <summary>Writes the records at the end of the head segment, flushes them, then points the index at them.</summary>
    private void Commit(List<Append> appends)
    {
        if (_head.Length >= _options.SegmentBytes)
        {
            RollHead();
        }

        var sizes = new int[appends.Count];
        var total = 0;
        for (var i = 0; i < appends.Count; i++)
        {
            sizes[i] = StateLogRecord.Size(appends[i].Key, appends[i].Payload.Length);
            total += sizes[i];
        }

        var buffer = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            var at = 0;
            foreach (var append in appends)
            {
                at += StateLogRecord.Write(buffer.AsSpan(at), append.Kind, append.Key, append.Version, append.Payload);
            }

            var start = _head.Length;
            RandomAccess.Write(_head.Handle, buffer.AsSpan(0, total), start);
            if (_options.FlushToDisk)
            {
                RandomAccess.FlushToDisk(_head.Handle);
            }

            lock (_gate)
            {
                _head.Length = start + total;
                var offset = start;
                for (var i = 0; i < appends.Count; i++)
                {
                    var append = appends[i];
                    Place(append.Key, new Location(append.Version, _head.Id, offset, sizes[i]), append.Kind);
                    append.Committed = true;
                    if (_pending.TryGetValue(append.Key, out var pending) && ReferenceEquals(pending, append))
                    {
                        _pending.Remove(append.Key);
                    }

                    offset += sizes[i];
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// A failed append is undone, newest first, so each grain is back at what the disk has; the bytes a failed write
    /// may have left at the end are cut off, or the log refuses further work (later records behind garbage would be
    /// lost at the next open).
    /// </summary>
    private void Undo(List<Append> appends, Exception error)
    {
        lock (_gate)
        {
            for (var i = appends.Count - 1; i >= 0; i--)
            {
                var append = appends[i];
                var folder = FolderOf(append.Key.Folder);
                if (folder.TryGetValue(append.Key.Hash, out var current) && current.Version == append.Version)
                {
                    if (current.Segment == NoSegment && append.PreviousVersion == 0)
                    {
                        folder.Remove(append.Key.Hash);
                    }
                    else
                    {
                        folder[append.Key.Hash] = current with { Version = append.PreviousVersion };
                    }
                }

                if (_pending.TryGetValue(append.Key, out var pending) && ReferenceEquals(pending, append))
                {
                    if (append.PreviousPending is { Committed: false } previous)
                    {
                        _pending[append.Key] = previous;
                    }
                    else
                    {
                        _pending.Remove(append.Key);
                    }
                }
            }

            try
            {
                RandomAccess.SetLength(_head.Handle, _head.Length);
                RandomAccess.FlushToDisk(_head.Handle);
            }
            catch (Exception truncateError)
            {
                _fault = new IOException($"Grain state log '{_directory}' could not cut off a failed write ({truncateError.Message}); restart the silo to recover it.", error);
            }
        }

        LogAppendFailed(_logger, appends.Count, error.GetType().Name, error.Message);
        foreach (var append in appends)
        {
            append.Done.TrySetException(error);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Appending {Count} grain states to the log failed ({Error}: {Detail}); the grains keep their state and retry")]
    private static partial void LogAppendFailed(ILogger logger, int count, string error, string detail);
}
