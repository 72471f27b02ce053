using Orleans.Streams;

namespace HealthcareOrleans.Streaming.Kafka.Providers;

/// <summary>
/// A cache cursor that reports each message once the pulling agent moves past it. The agent's consumer loop is
/// "move, take the current message, deliver it (with retries), repeat", so the move after a message means its delivery
/// has finished. A cursor dropped without moving on (shutdown, a re-positioned handshake) reports nothing: that
/// message counts as undelivered and the next owner reads it again, which consumers deduplicate.
/// </summary>
internal sealed class DeliveryTrackingCursor(IQueueCacheCursor inner, Action<IBatchContainer> delivered) : IQueueCacheCursor
{
    private IBatchContainer? _handedOut;

    public IBatchContainer? GetCurrent(out Exception? exception)
    {
        var current = inner.GetCurrent(out exception);
        _handedOut = current;
        return current;
    }

    public QueueCacheCursorMoveResult MoveNextWithResult()
    {
        PassHandedOut();
        return inner.MoveNextWithResult();
    }

    [Obsolete("Use MoveNextWithResult instead.")]
    public bool MoveNext()
    {
        PassHandedOut();
        return inner.MoveNext();
    }

    private void PassHandedOut()
    {
        if (_handedOut is { } done)
        {
            _handedOut = null;
            delivered(done);
        }
    }

    public void Refresh(StreamSequenceToken token) => inner.Refresh(token);

    public void RecordDeliveryFailure() => inner.RecordDeliveryFailure();

    public void Dispose() => inner.Dispose();
}
