using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

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
    private readonly Histogram<double> _latency;
    private readonly ConcurrentDictionary<string, long> _rejectionsByReason = new(StringComparer.Ordinal);
    private long _eventsApplied;
    private long _eventsDuplicate;
    private long _messagesRejected;

    public PipelineCounters(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _applied = _meter.CreateCounter<long>("hc.events.applied", description: "Silver events applied to patient state");
        _rejected = _meter.CreateCounter<long>("hc.events.rejected", description: "Messages quarantined, by reason code");
        _duplicates = _meter.CreateCounter<long>("hc.events.duplicate", description: "Events ignored because their event_id was applied before");
        _latency = _meter.CreateHistogram<double>("hc.events.latency", unit: "ms", description: "Broker append to state applied");
    }

    public long EventsApplied => Interlocked.Read(ref _eventsApplied);
    public long EventsDuplicate => Interlocked.Read(ref _eventsDuplicate);
    public long MessagesRejected => Interlocked.Read(ref _messagesRejected);

    public IReadOnlyDictionary<string, long> RejectionsByReason => new Dictionary<string, long>(_rejectionsByReason, StringComparer.Ordinal);

    public void Applied(DateTime appendedAtUtc, DateTime nowUtc)
    {
        Interlocked.Increment(ref _eventsApplied);
        _applied.Add(1);
        _latency.Record((nowUtc - appendedAtUtc).TotalMilliseconds);
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
