using HealthcareOrleans.Contracts.Streaming;

namespace HealthcareOrleans.Medallion.Bronze;

/// <summary>
/// One partition's messages read but not yet committed to Bronze, in offset order. Written by the consume thread,
/// read and trimmed by the flush; a lock keeps it simple (one short critical section per message).
/// A receiver that restarts re-reads from its checkpoint: offsets at or below the highest one seen are the same
/// messages again (same log incarnation) and are dropped here, so the buffer never holds an offset twice.
/// </summary>
public sealed class BronzePartitionBuffer
{
    private readonly object _gate = new();
    private readonly List<BronzeRow> _rows = [];
    private long _highestSeen = -1;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _rows.Count;
            }
        }
    }

    /// <summary>When the oldest buffered message was read; null when empty.</summary>
    public DateTimeOffset? OldestReceivedAt
    {
        get
        {
            lock (_gate)
            {
                return _rows.Count == 0 ? null : _rows[0].ReceivedAt;
            }
        }
    }

    /// <returns>The number of rows buffered after the add.</returns>
    public int Add(BrokerRecord record, DateTimeOffset receivedAt)
    {
        lock (_gate)
        {
            if (record.Offset > _highestSeen)
            {
                _rows.Add(new BronzeRow(record, receivedAt));
                _highestSeen = record.Offset;
            }

            return _rows.Count;
        }
    }

    /// <summary>
    /// A copy of the rows buffered now with an offset below <paramref name="beforeOffset"/> (all when null); the rows
    /// stay until <see cref="DropThrough"/> says they are durable.
    /// </summary>
    public BronzeRow[] Snapshot(long? beforeOffset = null)
    {
        lock (_gate)
        {
            if (beforeOffset is not { } limit)
            {
                return [.. _rows];
            }

            var end = _rows.FindIndex(r => r.Offset >= limit);
            return end < 0 ? [.. _rows] : [.. _rows.GetRange(0, end)];
        }
    }

    /// <summary>
    /// Forgets every row at or after <paramref name="offset"/>, and that they were seen: the partition's next reader
    /// (here or on another silo) starts there and will hand them over again.
    /// </summary>
    public void ForgetFrom(long offset)
    {
        lock (_gate)
        {
            var from = _rows.FindIndex(r => r.Offset >= offset);
            if (from >= 0)
            {
                _rows.RemoveRange(from, _rows.Count - from);
            }

            _highestSeen = Math.Min(_highestSeen, offset - 1);
        }
    }

    /// <summary>Forgets every row with an offset at or below <paramref name="offset"/> (committed by us or another silo).</summary>
    public void DropThrough(long offset)
    {
        lock (_gate)
        {
            var keep = _rows.FindIndex(r => r.Offset > offset);
            _rows.RemoveRange(0, keep < 0 ? _rows.Count : keep);
        }
    }
}
