using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;

namespace HealthcareOrleans.Persistence.GrainStateLog;

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
}
