using System.Runtime.InteropServices;
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
