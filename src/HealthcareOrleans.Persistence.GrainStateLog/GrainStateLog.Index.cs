using System.Buffers;
using System.Text;

namespace HealthcareOrleans.Persistence.GrainStateLog;

/// <summary>The log's in-memory index (where each grain's latest durable record is) and the reads through it.</summary>
internal sealed partial class GrainStateLog
{
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
}
