using Orleans.Streams;

namespace HealthcareOrleans.Streaming.Kafka.Providers;

/// <summary>
/// A cache cursor that reports each message once the pulling agent moves past it. The agent's consumer loop is
/// "move, take the current message, deliver it (with retries), repeat", so the move after a message means its delivery
/// has finished. A cursor dropped without moving on (shutdown, a re-positioned handshake) reports nothing: that
/// message counts as undelivered and the next owner reads it again, which consumers deduplicate.
/// <para>
/// When the agent gives up on a message (its retries lasted <c>MaxEventDeliveryTime</c>), the next move stays on it, so
/// the agent delivers the same message again instead of skipping it: a consumer that is only unreachable for a while
/// (its silo is stopping, the cluster is starved) gets every message, in order. Only once one message has failed for
/// <paramref name="retryFor"/> does the cursor move past it (<paramref name="gaveUp"/> says so), so a poison message
/// cannot hold its stream, the cache and the partition's checkpoint for ever (dotnet/orleans#7807).
/// </para>
/// </summary>
internal sealed class DeliveryTrackingCursor(
    IQueueCacheCursor inner,
    Action<IBatchContainer> delivered,
    TimeSpan retryFor,
    TimeProvider clock,
    Action<IBatchContainer, TimeSpan> gaveUp) : IQueueCacheCursor
{
    private IBatchContainer? _handedOut;
    private IBatchContainer? _retry;
    private long? _failingSince;

    public IBatchContainer? GetCurrent(out Exception? exception)
    {
        if (_retry is { } again)
        {
            _retry = null;
            exception = null;
            _handedOut = again;
            return again;
        }

        var current = inner.GetCurrent(out exception);
        _handedOut = current;
        return current;
    }

    public QueueCacheCursorMoveResult MoveNextWithResult()
    {
        if (_retry is not null)
        {
            return QueueCacheCursorMoveResult.Success;
        }

        PassHandedOut();
        return inner.MoveNextWithResult();
    }

    [Obsolete("Use MoveNextWithResult instead.")]
    public bool MoveNext()
    {
        if (_retry is not null)
        {
            return true;
        }

        PassHandedOut();
        return inner.MoveNext();
    }

    private void PassHandedOut()
    {
        if (_handedOut is { } done)
        {
            _handedOut = null;
            _failingSince = null;
            delivered(done);
        }
    }

    public void Refresh(StreamSequenceToken token) => inner.Refresh(token);

    public void RecordDeliveryFailure()
    {
        if (_handedOut is { } failed)
        {
            var now = clock.GetTimestamp();
            _failingSince ??= now;
            var failingFor = clock.GetElapsedTime(_failingSince.Value, now);
            if (failingFor < retryFor)
            {
                _retry = failed;
            }
            else
            {
                // Given up: the next move passes it, and the receiver counts it as delivered like any other.
                _retry = null;
                gaveUp(failed, failingFor);
            }
        }

        inner.RecordDeliveryFailure();
    }

    public void Dispose() => inner.Dispose();
}
