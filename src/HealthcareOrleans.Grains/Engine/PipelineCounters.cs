using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using HealthcareOrleans.Contracts.Streaming;

namespace HealthcareOrleans.Grains.Engine;

/// <summary>
/// Silo-local counts of what the grains did with the stream. Updated on the hot path, so plain interlocked
/// counters; exported through a <see cref="Meter"/> for OpenTelemetry and summed into the engine status.
/// </summary>
public sealed class PipelineCounters : IDisposable
{
    public const string MeterName = "HealthcareOrleans.Pipeline";

    private readonly Meter _meter;
    private readonly Counter<long> _applied;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _wardConfirmations;
    private readonly Histogram<double> _latency;
    private readonly Histogram<double> _fetched;
    private readonly Histogram<double> _delivering;
    private readonly Histogram<double> _wardsApplied;
    private readonly ConcurrentDictionary<string, long> _rejectionsByReason = new(StringComparer.Ordinal);
    private long _eventsApplied;
    private long _eventsDuplicate;
    private long _messagesRejected;
    private long _wardConfirmationCount;

    public PipelineCounters(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _applied = _meter.CreateCounter<long>("hc.events.applied", description: "Silver events applied to patient state");
        _rejected = _meter.CreateCounter<long>("hc.events.rejected", description: "Messages quarantined, by reason code");
        _duplicates = _meter.CreateCounter<long>("hc.events.duplicate", description: "Events ignored because their event_id was applied before");
        _wardConfirmations = _meter.CreateCounter<long>("hc.wards.confirmations", description: "Calls a patient made before saving to have a ward store its updates, because no receipt showed them stored");
        _latency = _meter.CreateHistogram<double>("hc.events.latency", unit: "ms", description: "Broker append to state applied");
        // The stages before and after it, so a tail can be placed: read by the receiver, delivery of its read begun,
        // the wards' updates of its read applied.
        _fetched = _meter.CreateHistogram<double>("hc.stage.fetched", unit: "ms", description: "Broker append to taken from the receiver's read-ahead");
        _delivering = _meter.CreateHistogram<double>("hc.stage.delivering", unit: "ms", description: "Broker append to the delivery of its partition read begun");
        _wardsApplied = _meter.CreateHistogram<double>("hc.stage.wards_applied", unit: "ms", description: "Broker append to the ward updates of its partition read applied");
    }

    public long EventsApplied => Interlocked.Read(ref _eventsApplied);
    public long EventsDuplicate => Interlocked.Read(ref _eventsDuplicate);
    public long MessagesRejected => Interlocked.Read(ref _messagesRejected);
    public long WardConfirmations => Interlocked.Read(ref _wardConfirmationCount);

    public IReadOnlyDictionary<string, long> RejectionsByReason => new Dictionary<string, long>(_rejectionsByReason, StringComparer.Ordinal);

    public void Applied(DateTime appendedAtUtc, DateTime nowUtc)
    {
        Interlocked.Increment(ref _eventsApplied);
        _applied.Add(1);
        _latency.Record((nowUtc - appendedAtUtc).TotalMilliseconds);
    }

    /// <summary>A partition read reached its consumer at <paramref name="nowUtc"/>: the stages before delivery, per record.</summary>
    public void DeliveryBegun(BrokerRecordBatch batch, DateTime nowUtc)
    {
        var records = batch.Records;
        for (var i = 0; i < records.Length; i++)
        {
            var appended = records[i].AppendedAtUtc;
            if (batch.ReadAtUtc is { } readAt)
            {
                _fetched.Record((readAt - appended).TotalMilliseconds);
            }

            _delivering.Record((nowUtc - appended).TotalMilliseconds);
        }
    }

    /// <summary>The ward updates of a partition read were applied at <paramref name="nowUtc"/>.</summary>
    public void WardsApplied(BrokerRecordBatch batch, DateTime nowUtc)
    {
        var records = batch.Records;
        for (var i = 0; i < records.Length; i++)
        {
            _wardsApplied.Record((nowUtc - records[i].AppendedAtUtc).TotalMilliseconds);
        }
    }

    public void WardConfirmation()
    {
        Interlocked.Increment(ref _wardConfirmationCount);
        _wardConfirmations.Add(1);
    }

    public void Duplicate()
    {
        Interlocked.Increment(ref _eventsDuplicate);
        _duplicates.Add(1);
    }

    public void Rejected(string reason)
    {
        Interlocked.Increment(ref _messagesRejected);
        _rejectionsByReason.AddOrUpdate(reason, 1, static (_, n) => n + 1);
        _rejected.Add(1, new KeyValuePair<string, object?>("reason", Contracts.Events.RejectionReasons.CodeOf(reason)));
    }

    public void Dispose() => _meter.Dispose();
}
