using System.Text;
using Azure.Messaging.EventHubs;

namespace HealthcareOrleans.Streaming.EventHubs.Tests.TestSupport;

/// <summary>
/// Stands in for one Event Hubs partition, since no AMQP endpoint can run here: an append-only log of events with the
/// broker-owned fields a hub sets (sequence numbers from 0, enqueued time, partition key), and a record of every
/// position a receiver was opened at.
/// </summary>
public sealed class HubPartitionLog(int partition)
{
    private readonly List<EventData> _events = [];
    private readonly List<long?> _openedAt = [];

    public int Partition { get; } = partition;

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

    /// <summary>Where each receiver of this partition started (null: no position, from the beginning).</summary>
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

    /// <summary>Appends events with a JSON body each; the hub's clock advances 100 ms per event.</summary>
    public void Append(int count, Func<long, string> partitionKey)
    {
        lock (_events)
        {
            for (var i = 0; i < count; i++)
            {
                long sequenceNumber = _events.Count;
                var key = partitionKey(sequenceNumber);
                var body = $$"""{"event_id":"eh-{{Partition}}-{{sequenceNumber}}","event_type":"UPDATE","patient_id":"{{key}}","occurred_at":"2026-12-01T08:00:00+00:00"}""";
                _events.Add(EventHubsModelFactory.EventData(
                    eventBody: new BinaryData(Encoding.UTF8.GetBytes(body)),
                    partitionKey: key,
                    sequenceNumber: sequenceNumber,
                    offsetString: (sequenceNumber * 512).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    enqueuedTime: Epoch.AddMilliseconds(100 * sequenceNumber)));
            }
        }
    }

    public void Opened(long? fromSequenceNumber)
    {
        lock (_openedAt)
        {
            _openedAt.Add(fromSequenceNumber);
        }
    }

    /// <summary>Up to <paramref name="maxCount"/> events from <paramref name="from"/> on.</summary>
    public List<EventData> Read(long from, int maxCount)
    {
        lock (_events)
        {
            var start = (int)Math.Min(from, _events.Count);
            return _events.GetRange(start, Math.Min(maxCount, _events.Count - start));
        }
    }

    public EventData this[long sequenceNumber]
    {
        get
        {
            lock (_events)
            {
                return _events[(int)sequenceNumber];
            }
        }
    }
}
