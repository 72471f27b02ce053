using Azure.Messaging.EventHubs;

namespace HealthcareOrleans.Streaming.EventHubs.Testing;

/// <summary>
/// Stands in for one Event Hubs partition where no namespace can be reached (tests, benchmarks), as Orleans' package
/// ships its generator for the same need: an append-only log with the fields the service sets (sequence numbers from 0,
/// enqueued time, partition key), and a record of every position a receiver was opened at.
/// </summary>
public sealed class InMemoryHubPartition(int partition)
{
    private readonly List<EventData> _events = [];
    private readonly List<long?> _openedAt = [];

    public int Partition { get; } = partition;

    /// <summary>The enqueued time of sequence number 0; the partition's clock advances 100 ms per event.</summary>
    public static DateTimeOffset Epoch { get; } = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    public int Count
    {
        get
        {
            lock (_events)
            {
                return _events.Count;
            }
        }
    }

    /// <summary>Where each receiver of this partition started (null: no position was known).</summary>
    public IReadOnlyList<long?> OpenedAt
    {
        get
        {
            lock (_openedAt)
            {
                return [.. _openedAt];
            }
        }
    }

    public EventData this[long sequenceNumber]
    {
        get
        {
            lock (_events)
            {
                return _events[checked((int)sequenceNumber)];
            }
        }
    }

    /// <summary>Appends one event as a producer's send would; returns its sequence number.</summary>
    public long Append(string? partitionKey, byte[] body)
    {
        lock (_events)
        {
            long sequenceNumber = _events.Count;
            _events.Add(EventHubsModelFactory.EventData(
                eventBody: new BinaryData(body),
                partitionKey: partitionKey,
                sequenceNumber: sequenceNumber,
                offsetString: (sequenceNumber * 512).ToString(System.Globalization.CultureInfo.InvariantCulture),
                enqueuedTime: Epoch.AddMilliseconds(100 * sequenceNumber)));
            return sequenceNumber;
        }
    }

    internal void Opened(long? fromSequenceNumber)
    {
        lock (_openedAt)
        {
            _openedAt.Add(fromSequenceNumber);
        }
    }

    /// <summary>Up to <paramref name="maxCount"/> events from <paramref name="from"/> on.</summary>
    internal List<EventData> Read(long from, int maxCount)
    {
        lock (_events)
        {
            var start = (int)Math.Min(from, _events.Count);
            return _events.GetRange(start, Math.Min(maxCount, _events.Count - start));
        }
    }
}
