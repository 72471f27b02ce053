using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace HealthcareOrleans.Grains.Persistence;

/// <summary>
/// Grain states as an append-only log of segment files on local disk, with every write of the last moment committed
/// together: one <c>write</c> and one <c>fsync</c> for however many grains saved meanwhile, where a file per grain
/// cost a file creation, an fsync and a rename each (a third of the silo's CPU when patients saved, measured).
/// </summary>
/// <remarks>
/// The index (grain → version and place of its latest record) lives in memory and is rebuilt from the segments when
/// the log opens; a torn last record (a crash mid-write) is cut off, damage anywhere else stops the open with the file
/// and offset named. Versions serve as ETags and only this process writes the folder (a lock file keeps other
/// processes out; silos of one process share the instance), so the check is exact. A write completes when it is on
/// disk. Segments roll at <see cref="GrainStateLogOptions.SegmentBytes"/>; a sealed segment whose live records fill
/// less than half of it is copied forward (its live records appended again) and deleted, so the disk holds about
/// twice the live states at most.
/// </remarks>
internal sealed partial class GrainStateLog : IDisposable
{
    private const string SegmentExtension = ".segment";
    private const string LockFileName = "LOCK";

    /// <summary>No durable record yet: the key's only write is still on its way to the disk.</summary>
    private const int NoSegment = -1;

    private static readonly Dictionary<string, (GrainStateLog Log, int Users)> Open = new(StringComparer.Ordinal);

    private readonly string _directory;
    private readonly GrainStateLogOptions _options;
    private readonly ILogger _logger;
    private readonly FileStream _lock;
    private readonly object _gate = new();
    private readonly Dictionary<string, Dictionary<UInt128, Location>> _index = new(StringComparer.Ordinal);
    private readonly Dictionary<StateLogKey, Append> _pending = [];
    private readonly SortedDictionary<int, Segment> _segments = [];
    private readonly Thread _writer;
    private List<Append> _queue = [];
    private List<Append> _committing = [];
    private Segment _head = null!;
    private bool _stopping;
    private Exception? _fault;

    private GrainStateLog(string directory, GrainStateLogOptions options, ILogger logger)
    {
        _directory = directory;
        _options = options;
        _logger = logger;
        Directory.CreateDirectory(directory);
        try
        {
            _lock = new FileStream(Path.Combine(directory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new IOException($"Grain state log '{directory}' is in use by another process: one silo process owns a state folder.", ex);
        }

        try
        {
            Recover();
        }
        catch
        {
            CloseFiles();
            throw;
        }

        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "grain-state-log" };
        _writer.Start();
    }

    /// <summary>Live records (states and clears) in the log, for tests and diagnostics.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _index.Values.Sum(f => f.Count);
            }
        }
    }

    /// <summary>Writes and clears accepted but not yet on disk.</summary>
    public int Queued
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Segment files on disk, oldest first, for tests and diagnostics.</summary>
    public IReadOnlyList<string> SegmentFiles
    {
        get
        {
            lock (_gate)
            {
                return [.. _segments.Values.Select(s => s.Path)];
            }
        }
    }

    /// <summary>
    /// The log of <paramref name="directory"/>, opened (recovered, and given the states of <paramref name="legacyFolder"/>
    /// if that exists) by the first caller and shared by the rest of this process.
    /// </summary>
    public static GrainStateLog Acquire(string directory, GrainStateLogOptions options, ILogger logger, string? legacyFolder = null)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        lock (Open)
        {
            if (!Open.TryGetValue(full, out var entry))
            {
                var log = new GrainStateLog(full, options, logger);
                try
                {
                    if (legacyFolder is not null)
                    {
                        LegacyStateFiles.ImportOnce(legacyFolder, log, logger);
                    }
                }
                catch
                {
                    log.Dispose();
                    throw;
                }

                entry = (log, 0);
            }

            Open[full] = (entry.Log, entry.Users + 1);
            return entry.Log;
        }
    }

    /// <summary>Gives back what <see cref="Acquire"/> handed out; the last release commits what is queued and closes the files.</summary>
    public void Release()
    {
        lock (Open)
        {
            var (log, users) = Open[_directory];
            if (users > 1)
            {
                Open[_directory] = (log, users - 1);
                return;
            }

            Open.Remove(_directory);
        }

        Dispose();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
            Monitor.PulseAll(_gate);
        }

        _writer.Join();
        CloseFiles();
    }

    /// <summary>The latest version and state of a grain; version 0 and null when it has none (never written, or cleared).</summary>
    public (long Version, byte[]? State) Read(StateLogKey key)
    {
        lock (_gate)
        {
            ThrowIfUnusable();
            if (_pending.TryGetValue(key, out var pending))
            {
                return pending.Kind == StateLogRecordKind.State ? (pending.Version, pending.Payload) : (0, null);
            }

            if (!TryFind(key, out var location) || location.Segment == NoSegment)
            {
                return (0, null);
            }

            var segment = _segments[location.Segment];
            var rented = ArrayPool<byte>.Shared.Rent(location.Length);
            try
            {
                var record = rented.AsSpan(0, location.Length);
                ReadExactly(segment, record, location.Offset);
                if (!StateLogRecord.TryRead(record, out var kind, out _, out _, out var version, out var payload) || version != location.Version)
                {
                    throw new InvalidDataException($"Grain state log segment '{segment.Path}' is damaged at offset {location.Offset}: restore the folder from backup, or delete it to rebuild the grains from the stream.");
                }

                return kind == StateLogRecordKind.State ? (version, payload.ToArray()) : (0, null);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

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

    /// <summary>The index now points at this durable record; the record it replaces is no longer live.</summary>
    private void Place(StateLogKey key, Location durable, StateLogRecordKind kind, bool recovering = false)
    {
        var folder = FolderOf(key.Folder);
        if (folder.TryGetValue(key.Hash, out var current) && current.Segment != NoSegment)
        {
            _segments[current.Segment].Forget(current);
        }

        // A later write of the same grain may be queued already: its version stays the one writers check against.
        // Reading the segments back, the log's order is the truth.
        folder[key.Hash] = recovering ? durable : durable with { Version = Math.Max(durable.Version, current.Version) };
        _segments[durable.Segment].Keep(durable, kind == StateLogRecordKind.Cleared);
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

    private bool TryFind(StateLogKey key, out Location location)
    {
        location = default;
        return _index.TryGetValue(key.Folder, out var folder) && folder.TryGetValue(key.Hash, out location);
    }

    private Dictionary<UInt128, Location> FolderOf(string folder)
    {
        if (!_index.TryGetValue(folder, out var entries))
        {
            _index[folder] = entries = [];
        }

        return entries;
    }

    /// <summary>One string per folder name however many records carry it.</summary>
    private string Intern(ReadOnlySpan<byte> folderUtf8)
    {
        var name = Encoding.UTF8.GetString(folderUtf8);
        lock (_gate)
        {
            return _index.Keys.FirstOrDefault(k => k == name) ?? name;
        }
    }

    private void ThrowIfUnusable()
    {
        if (_fault is not null)
        {
            throw _fault;
        }

        ObjectDisposedException.ThrowIf(_stopping, this);
    }

    private void SyncDirectory()
    {
        if (_options.FlushToDisk)
        {
            DirectorySync.Flush(_directory);
        }
    }

    private void CloseFiles()
    {
        foreach (var segment in _segments.Values)
        {
            segment.Handle.Dispose();
        }

        _lock.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Appending {Count} grain states to the log failed ({Error}: {Detail}); the grains keep their state and retry")]
    private static partial void LogAppendFailed(ILogger logger, int count, string error, string detail);

    // A crash mid-write tears only the last group, whose writers were never told it was saved; damage from the disk
    // itself can also land here, and then acknowledged states go back to older versions: hence an error, not a note.
    [LoggerMessage(Level = LogLevel.Error, Message = "Grain state log segment {Segment} ends in {Bytes} bytes that are not an intact record (a write the last process did not finish, or damage); cut off, and the grains whose records they held are back at their previous state")]
    private static partial void LogTornTail(ILogger logger, string segment, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Grain state log segment {Segment} compacted: {Records} live records copied forward, file deleted")]
    private static partial void LogCompacted(ILogger logger, string segment, int records);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Compacting grain state log segment {Segment} failed ({Error}: {Detail}); it is tried again later")]
    private static partial void LogCompactionFailed(ILogger logger, string segment, string error, string detail);

    /// <summary>A grain's latest version (possibly still queued) and where its latest durable record is.</summary>
    [StructLayout(LayoutKind.Auto)]
    private readonly record struct Location(long Version, int Segment, long Offset, int Length);

    private sealed class Append(StateLogKey key, StateLogRecordKind kind, long version, byte[] payload, long previousVersion, Append? previousPending)
    {
        public StateLogKey Key { get; } = key;

        public StateLogRecordKind Kind { get; } = kind;

        public long Version { get; } = version;

        public byte[] Payload { get; } = payload;

        public long PreviousVersion { get; } = previousVersion;

        public Append? PreviousPending { get; } = previousPending;

        public TaskCompletionSource<long> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>On disk: a later append of the grain that fails must not bring this one back as queued.</summary>
        public bool Committed { get; set; }
    }

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
