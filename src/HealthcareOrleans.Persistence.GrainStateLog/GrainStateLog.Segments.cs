using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace HealthcareOrleans.Persistence.GrainStateLog;

/// <summary>The log's segment files: reading them back at open, starting new ones, and compacting sealed ones.</summary>
internal sealed partial class GrainStateLog
{
    /// <summary>Copies the live records of the emptiest sealed segment to the head and deletes it, one segment per call.</summary>
    private void CompactOneSegment()
    {
        Segment? victim;
        bool oldest;
        lock (_gate)
        {
            victim = _segments.Values.Where(s => s != _head && s.LiveBytes * 2 < s.Length).MinBy(s => s.LiveBytes / (double)Math.Max(1, s.Length));
            oldest = victim is not null && victim.Id == _segments.Keys.First();
        }

        if (victim is null)
        {
            return;
        }

        try
        {
            var copies = new List<(Append Append, Location From)>();
            ForEachRecord(victim, (record, offset) =>
            {
                StateLogRecord.TryRead(record, out var kind, out var folderBytes, out var hash, out var version, out var payload);
                var key = new StateLogKey(Intern(folderBytes), hash);
                lock (_gate)
                {
                    var live = TryFind(key, out var location) && location.Segment == victim.Id && location.Offset == offset;
                    if (!live)
                    {
                        return;
                    }

                    if (kind == StateLogRecordKind.Cleared && oldest && !_pending.ContainsKey(key))
                    {
                        // Nothing older can come back at the next open, so the clear need not stay on disk; its
                        // version stays in memory, or a stale activation's ETag could match a new state's.
                        victim.Forget(location);
                        FolderOf(key.Folder)[hash] = location with { Segment = NoSegment, Offset = 0, Length = 0 };
                        return;
                    }
                }

                copies.Add((new Append(key, kind, version, payload.ToArray(), version, null), new Location(version, victim.Id, offset, record.Length)));
            });

            if (copies.Count > 0)
            {
                CopyForward(copies);
            }

            lock (_gate)
            {
                if (victim.LiveBytes > 0)
                {
                    return;
                }

                _segments.Remove(victim.Id);
            }

            victim.Handle.Dispose();
            File.Delete(victim.Path);
            SyncDirectory();
            LogCompacted(_logger, victim.Path, copies.Count);
        }
        catch (Exception ex)
        {
            // The segment stays; the next commit tries again.
            LogCompactionFailed(_logger, victim.Path, ex.GetType().Name, ex.Message);
        }
    }

    private void CopyForward(List<(Append Append, Location From)> copies)
    {
        if (_head.Length >= _options.SegmentBytes)
        {
            RollHead();
        }

        var sizes = copies.Select(c => c.From.Length).ToArray();
        var buffer = new byte[sizes.Sum()];
        var at = 0;
        foreach (var (append, _) in copies)
        {
            at += StateLogRecord.Write(buffer.AsSpan(at), append.Kind, append.Key, append.Version, append.Payload);
        }

        var start = _head.Length;
        RandomAccess.Write(_head.Handle, buffer, start);
        RandomAccess.FlushToDisk(_head.Handle);
        lock (_gate)
        {
            _head.Length = start + buffer.Length;
            var offset = start;
            for (var i = 0; i < copies.Count; i++)
            {
                var (append, from) = copies[i];
                if (TryFind(append.Key, out var current) && current.Segment == from.Segment && current.Offset == from.Offset)
                {
                    Place(append.Key, new Location(append.Version, _head.Id, offset, sizes[i]), append.Kind);
                }

                offset += sizes[i];
            }
        }
    }

    private void RollHead()
    {
        var segment = CreateSegment(_head.Id + 1);
        lock (_gate)
        {
            _segments.Add(segment.Id, segment);
            _head = segment;
        }
    }

    private Segment CreateSegment(int id)
    {
        var path = Path.Combine(_directory, id.ToString("D8", CultureInfo.InvariantCulture) + SegmentExtension);
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        SyncDirectory();
        return new Segment(id, path, handle, 0);
    }

    /// <summary>Rebuilds the index from the segments, oldest first; imports a folder of per-grain files once.</summary>
    private void Recover()
    {
        var files = Directory.EnumerateFiles(_directory, "*" + SegmentExtension)
            .Select(path => (Path: path, Id: int.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : -1))
            .Where(f => f.Id > 0)
            .OrderBy(f => f.Id)
            .ToList();
        for (var i = 0; i < files.Count; i++)
        {
            var segment = new Segment(files[i].Id, files[i].Path, File.OpenHandle(files[i].Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read), 0);
            _segments.Add(segment.Id, segment);
            segment.Length = RandomAccess.GetLength(segment.Handle);
            var end = ForEachRecord(segment, (record, offset) =>
            {
                StateLogRecord.TryRead(record, out var kind, out var folder, out var hash, out var version, out _);
                Place(new StateLogKey(Intern(folder), hash), new Location(version, segment.Id, offset, record.Length), kind, recovering: true);
            });
            if (end < segment.Length)
            {
                if (i < files.Count - 1)
                {
                    throw new InvalidDataException($"Grain state log segment '{segment.Path}' is damaged at offset {end} (of {segment.Length} bytes) and is not the last one: restore the folder from backup, or delete it to rebuild the grains from the stream.");
                }

                LogTornTail(_logger, segment.Path, segment.Length - end);
                RandomAccess.SetLength(segment.Handle, end);
                RandomAccess.FlushToDisk(segment.Handle);
                segment.Length = end;
            }
        }

        _head = _segments.Count > 0 ? _segments.Values.Last() : CreateSegment(1);
        _segments.TryAdd(_head.Id, _head);
    }

    /// <summary>Calls back with each intact record and its offset; returns where the intact records end.</summary>
    private static long ForEachRecord(Segment segment, Action<ReadOnlySpan<byte>, long> onRecord)
    {
        var buffer = new byte[1 << 20];
        long offset = 0;
        var prefix = new byte[sizeof(uint)];
        while (offset + sizeof(uint) <= segment.Length)
        {
            ReadExactly(segment, prefix, offset);
            var length = (long)sizeof(uint) + (uint)StateLogRecord.FollowingLength(prefix);
            if (length > Array.MaxLength || offset + length > segment.Length)
            {
                break;
            }

            if (buffer.Length < length)
            {
                buffer = new byte[length];
            }

            var record = buffer.AsSpan(0, (int)length);
            ReadExactly(segment, record, offset);
            if (!StateLogRecord.TryRead(record, out _, out _, out _, out _, out _))
            {
                break;
            }

            onRecord(record, offset);
            offset += length;
        }

        return offset;
    }

    private static void ReadExactly(Segment segment, Span<byte> destination, long offset)
    {
        var done = 0;
        while (done < destination.Length)
        {
            var read = RandomAccess.Read(segment.Handle, destination[done..], offset + done);
            if (read <= 0)
            {
                throw new InvalidDataException($"Grain state log segment '{segment.Path}' ends at {offset + done} bytes, inside a record it indexed.");
            }

            done += read;
        }
    }

    // A crash mid-write tears only the last group, whose writers were never told it was saved; damage from the disk
    // itself can also land here, and then acknowledged states go back to older versions: hence an error, not a note.
    [LoggerMessage(Level = LogLevel.Error, Message = "Grain state log segment {Segment} ends in {Bytes} bytes that are not an intact record (a write the last process did not finish, or damage); cut off, and the grains whose records they held are back at their previous state")]
    private static partial void LogTornTail(ILogger logger, string segment, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Grain state log segment {Segment} compacted: {Records} live records copied forward, file deleted")]
    private static partial void LogCompacted(ILogger logger, string segment, int records);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Compacting grain state log segment {Segment} failed ({Error}: {Detail}); it is tried again later")]
    private static partial void LogCompactionFailed(ILogger logger, string segment, string error, string detail);

    private sealed class Segment(int id, string path, SafeFileHandle handle, long length)
    {
        private readonly HashSet<long> _clears = [];

        public int Id { get; } = id;

        public string Path { get; } = path;

        public SafeFileHandle Handle { get; } = handle;

        public long Length { get; set; } = length;

        public long LiveBytes { get; private set; }

        public bool IsClear(Location location) => _clears.Contains(location.Offset);

        public void Keep(Location location, bool clear)
        {
            LiveBytes += location.Length;
            if (clear)
            {
                _clears.Add(location.Offset);
            }
        }

        public void Forget(Location location)
        {
            LiveBytes -= location.Length;
            _clears.Remove(location.Offset);
        }
    }
}
