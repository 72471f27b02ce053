namespace HealthcareOrleans.Streaming.Kafka.Providers;

/// <summary>
/// Which of one partition's read batches have reached their consumer; a batch (a run of offsets, known by its first)
/// is delivered when the pulling agent moved its consumer's cursor past it (the agent asks for the next message only after the previous delivery
/// finished) or when the cache purged it. Orleans' purge alone trails by up to a cache's worth of messages, because a
/// stream that went quiet keeps its cursor in an old bucket; counting cursor moves keeps the watermark within the
/// deliveries in flight.
/// </summary>
internal sealed class DeliveryTracker
{
    private readonly object _gate = new();
    // First offsets of the batches read and not yet delivered.
    private readonly SortedSet<long> _pending = [];
    private long _nextRead = -1;
    private TaskCompletionSource? _allDelivered;

    /// <summary>The receiver starts reading at <paramref name="nextOffset"/>: nothing before it is owed to anyone.</summary>
    public void StartAt(long nextOffset)
    {
        lock (_gate)
        {
            _pending.Clear();
            _nextRead = nextOffset;
            ReleaseWaiter();
        }
    }

    public void Read(long firstOffset, long lastOffset)
    {
        lock (_gate)
        {
            _pending.Add(firstOffset);
            if (lastOffset >= _nextRead)
            {
                _nextRead = lastOffset + 1;
            }
        }
    }

    public void Delivered(long firstOffset)
    {
        lock (_gate)
        {
            _pending.Remove(firstOffset);
            if (_pending.Count == 0)
            {
                ReleaseWaiter();
            }
        }
    }

    /// <summary>Completes once every batch read so far has been delivered; at once when none is owed.</summary>
    public Task AllDeliveredAsync()
    {
        lock (_gate)
        {
            return _pending.Count == 0
                ? Task.CompletedTask
                : (_allDelivered ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    private void ReleaseWaiter()
    {
        _allDelivered?.TrySetResult();
        _allDelivered = null;
    }

    /// <summary>One past the delivered prefix: the oldest offset still owed, else the read position; -1 before the start.</summary>
    public long Watermark
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count > 0 ? _pending.Min : _nextRead;
            }
        }
    }
}
