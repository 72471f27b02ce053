using System.Diagnostics.CodeAnalysis;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace HealthcareOrleans.Streaming.Kafka.Providers;

/// <summary>
/// Orleans' <see cref="SimpleQueueCache"/> plus one last purge when the pulling agent lets go of the queue. The agent
/// purges (and so reports delivered messages) only before each read; messages delivered after the last read would
/// otherwise miss the final checkpoint and be replayed by the next owner (dotnet/orleans#11242). The agent calls
/// <see cref="UpdateDeliveryProgress"/> during shutdown after draining deliveries and while every cursor still exists,
/// and only when all consumers are registered, so a purge there releases exactly what every consumer has passed.
/// Its cursors report each message their consumer has been given (<see cref="DeliveryTrackingCursor"/>), which is how the
/// receiver knows delivery long before a purge says so.
/// </summary>
internal sealed class HandoverQueueCache(
    SimpleQueueCache inner,
    int maxRecords,
    Action<IList<IBatchContainer>> delivered,
    Action<IBatchContainer> cursorPassed,
    TimeSpan retryDeliveryFor,
    TimeProvider clock,
    Action<IBatchContainer, TimeSpan> gaveUpDelivery) : IQueueCache
{
    private readonly IQueueCache _inner = inner;
    private int _records;

    /// <summary>Records held (a container carries a read's worth of one stream's records).</summary>
    public int Size => Volatile.Read(ref _records);

    public int GetMaxAddCount() => _inner.GetMaxAddCount();

    public void AddToCache(IList<IBatchContainer> messages)
    {
        _inner.AddToCache(messages);
        Interlocked.Add(ref _records, RecordsIn(messages));
    }

    public bool TryPurgeFromCache([MaybeNullWhen(false)] out IList<IBatchContainer> purgedItems)
    {
        if (!_inner.TryPurgeFromCache(out purgedItems))
        {
            return false;
        }

        Interlocked.Add(ref _records, -RecordsIn(purgedItems));
        return true;
    }

    [Obsolete("Use TryGetCacheCursor instead.")]
    public IQueueCacheCursor GetCacheCursor(StreamId streamId, StreamSequenceToken? token) => Tracked(_inner.GetCacheCursor(streamId, token));

    public QueueCacheCursorResult<IQueueCacheCursor> TryGetCacheCursor(StreamId streamId, StreamSequenceToken? token) =>
        Tracked(_inner.TryGetCacheCursor(streamId, token));

    public QueueCacheCursorResult<IQueueCacheCursor> TryGetCacheCursorAtPosition(StreamId streamId, StreamSubscriptionStartPosition startPosition) =>
        Tracked(_inner.TryGetCacheCursorAtPosition(streamId, startPosition));

    private IQueueCacheCursor Tracked(IQueueCacheCursor cursor) => new DeliveryTrackingCursor(cursor, cursorPassed, retryDeliveryFor, clock, gaveUpDelivery);

    private QueueCacheCursorResult<IQueueCacheCursor> Tracked(QueueCacheCursorResult<IQueueCacheCursor> result) =>
        result.Kind == QueueCacheCursorResultKind.Success && result.Cursor is { } cursor
            ? QueueCacheCursorResult<IQueueCacheCursor>.FromCursor(Tracked(cursor))
            : result;

    // Orleans' cache counts containers; with batched containers the memory it holds is bounded by records instead.
    public bool IsUnderPressure() => _inner.IsUnderPressure() || Size >= maxRecords;

    public void UpdateDeliveryProgress(StreamSequenceToken? earliestSubscriptionToken, DateTime utcNow)
    {
        if (TryPurgeFromCache(out var purged) && purged.Count > 0)
        {
            delivered(purged);
        }
    }

    private static int RecordsIn(IList<IBatchContainer> messages)
    {
        var records = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            records += messages[i] is KafkaBatchContainer batch ? batch.Batch.Count : 1;
        }

        return records;
    }
}
