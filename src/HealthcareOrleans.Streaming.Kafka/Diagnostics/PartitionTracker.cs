using HealthcareOrleans.Contracts.Engine;

namespace HealthcareOrleans.Streaming.Kafka.Diagnostics;

/// <summary>
/// Live counters of one partition's receiver. Written by the receiver (pulling-agent turn and consume thread),
/// read by status reports and metric callbacks on other threads, hence the interlocked access.
/// </summary>
public sealed class PartitionTracker
{
    private long _nextOffset = -1;
    private long _highWatermark = -1;
    private long _messagesReceived;
    private long _messagesSkipped;
    private long _checkpointedOffset = -1;
    private long _startedAt = -1;
    private Func<int>? _cacheSize;
    private Func<int>? _readAhead;

    internal PartitionTracker(string providerName, string topic, int partition)
    {
        ProviderName = providerName;
        Topic = topic;
        Partition = partition;
    }

    public string ProviderName { get; }

    public string Topic { get; }

    public int Partition { get; }

    /// <summary>Messages currently held by Orleans' queue cache for this partition.</summary>
    public int CacheSize => _cacheSize?.Invoke() ?? 0;

    /// <summary>Messages read from Kafka that Orleans has not asked for yet (the receiver's bounded read-ahead).</summary>
    public int ReadAhead => _readAhead?.Invoke() ?? 0;

    public long MessagesReceived => Interlocked.Read(ref _messagesReceived);

    public long? CheckpointedOffset => Interlocked.Read(ref _checkpointedOffset) is >= 0 and var offset ? offset : null;

    public long NextOffset => Math.Max(0, Interlocked.Read(ref _nextOffset));

    public long HighWatermark => Math.Max(NextOffset, Interlocked.Read(ref _highWatermark));

    public long Lag => Math.Max(0, HighWatermark - NextOffset);

    /// <summary>The offset this receiver started reading at, or null before it started: shows where a handover resumed.</summary>
    public long? StartedAt => Interlocked.Read(ref _startedAt) is >= 0 and var offset ? offset : null;

    internal void StartingAt(long nextOffset)
    {
        Interlocked.Exchange(ref _nextOffset, nextOffset);
        Interlocked.Exchange(ref _startedAt, nextOffset);
    }

    internal void Received(int count, long nextOffset)
    {
        Interlocked.Add(ref _messagesReceived, count);
        Interlocked.Exchange(ref _nextOffset, nextOffset);
    }

    /// <summary>Messages the broker deleted before this receiver read them.</summary>
    public long MessagesSkipped => Interlocked.Read(ref _messagesSkipped);

    internal void Skipped(long count) => Interlocked.Add(ref _messagesSkipped, count);

    internal void HighWatermarkIs(long highWatermark) => Interlocked.Exchange(ref _highWatermark, highWatermark);

    internal void Checkpointed(long nextOffset) => Interlocked.Exchange(ref _checkpointedOffset, nextOffset);

    internal void ObserveCache(Func<int> cacheSize) => _cacheSize = cacheSize;

    internal void ObserveReadAhead(Func<int> readAhead) => _readAhead = readAhead;

    public PartitionProgress ToProgress() =>
        new(Topic, Partition, NextOffset, HighWatermark, MessagesReceived, CheckpointedOffset, MessagesSkipped, StartedAt);
}
