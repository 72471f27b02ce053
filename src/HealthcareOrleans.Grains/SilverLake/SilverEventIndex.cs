using HealthcareOrleans.Lake;

namespace HealthcareOrleans.Grains.SilverLake;

/// <summary>
/// The event ids already in <c>silver/patient_flow_events</c>, by event-date partition, for deduplication. A duplicate
/// carries the same occurred_at, so it lands in the same date partition however late it arrives; that partition's ids
/// are read from the table the first time an event of that date comes, and kept for the
/// <see cref="Lake.LakeOptions.SilverDedupeDatePartitions"/> most recently used dates. The bound is memory only: an
/// evicted date is read back on its next event, so a duplicate arriving weeks later is still caught.
/// </summary>
public sealed class SilverEventIndex(int maxDates)
{
    private readonly Dictionary<DateOnly, (HashSet<string> Ids, long LastUsed)> _byDate = [];
    private long _clock;

    public int LoadedDates => _byDate.Count;

    public async ValueTask<bool> ContainsAsync(DeltaTable table, string eventId, DateOnly date, CancellationToken cancellationToken)
    {
        var ids = await IdsOfAsync(table, date, cancellationToken).ConfigureAwait(false);
        return ids.Contains(eventId);
    }

    /// <summary>Records ids now committed to the table (only for dates in memory; others are read from the table when needed).</summary>
    public void Committed(IEnumerable<(string EventId, DateOnly Date)> events)
    {
        foreach (var (eventId, date) in events)
        {
            if (_byDate.TryGetValue(date, out var entry))
            {
                entry.Ids.Add(eventId);
            }
        }
    }

    /// <summary>Forgets everything (after a failed commit whose outcome is unknown, the table is the truth).</summary>
    public void Clear() => _byDate.Clear();

    private async ValueTask<HashSet<string>> IdsOfAsync(DeltaTable table, DateOnly date, CancellationToken cancellationToken)
    {
        _clock++;
        if (_byDate.TryGetValue(date, out var entry))
        {
            _byDate[date] = (entry.Ids, _clock);
            return entry.Ids;
        }

        var partitionValue = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        HashSet<string> ids = new(StringComparer.Ordinal);
        foreach (var file in table.Snapshot.ActiveFiles.Where(f => f.PartitionValues.TryGetValue(SilverEventsTable.EventDate, out var v) && v == partitionValue))
        {
            var batch = await table.ReadFileAsync(file, columns: [SilverEventsTable.EventId], cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var id in batch.Column<string?>(SilverEventsTable.EventId))
            {
                ids.Add(id!);
            }
        }

        if (_byDate.Count >= maxDates)
        {
            var oldest = _byDate.MinBy(e => e.Value.LastUsed).Key;
            _byDate.Remove(oldest);
        }

        _byDate[date] = (ids, _clock);
        return ids;
    }
}
