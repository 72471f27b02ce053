using System.Threading.Channels;
using Confluent.Kafka;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Streaming.Kafka.DataAdapters;
using HealthcareOrleans.Streaming.Kafka.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;

namespace HealthcareOrleans.Streaming.Kafka.Providers;

/// <summary>
/// Reads one assigned partition on a dedicated thread into a bounded channel. librdkafka's <c>Consume</c> blocks, so
/// it gets a thread of its own instead of blocking the pulling agent's scheduler or the thread pool; the agent reads
/// the channel asynchronously. The bound is the back-pressure link: when Orleans' cache is under pressure the agent
/// stops reading, the channel fills, this thread waits, and librdkafka's bounded prefetch stops fetching.
/// </summary>
internal sealed partial class KafkaPartitionReader : IPartitionReader
{
    // Bounds how long Stop waits for the consume call in progress; latency is unaffected because Consume returns
    // as soon as a message arrives.
    private static readonly TimeSpan ConsumePollTimeout = TimeSpan.FromMilliseconds(100);

    private readonly IConsumer<string?, byte[]?> _consumer;
    private readonly TopicPartition _topicPartition;
    private readonly IKafkaDataAdapter _dataAdapter;
    private readonly PartitionTracker _tracker;
    private readonly TimeSpan _watermarkRefreshInterval;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Action<BrokerRecord>? _tap;
    private readonly int _maxBatchSize;
    private readonly Channel<(StreamId Stream, BrokerRecord Record)> _channel;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource _readWait = new();
    private long _expectedOffset = -1;

    public KafkaPartitionReader(
        IConsumer<string?, byte[]?> consumer,
        TopicPartition topicPartition,
        IKafkaDataAdapter dataAdapter,
        int capacity,
        int maxBatchSize,
        PartitionTracker tracker,
        TimeSpan watermarkRefreshInterval,
        TimeProvider timeProvider,
        ILogger logger,
        Action<BrokerRecord>? tap = null)
    {
        _tap = tap;
        _consumer = consumer;
        _topicPartition = topicPartition;
        _dataAdapter = dataAdapter;
        _maxBatchSize = maxBatchSize;
        _tracker = tracker;
        _watermarkRefreshInterval = watermarkRefreshInterval;
        _timeProvider = timeProvider;
        _logger = logger;
        _channel = Channel.CreateBounded<(StreamId, BrokerRecord)>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
            AllowSynchronousContinuations = false,
        });
    }

    /// <summary>Messages read from Kafka and waiting for the pulling agent.</summary>
    public int Buffered => _channel.Reader.Count;

    public void Start(Offset startOffset)
    {
        // Manual assignment: no group membership, no rebalancing; Orleans' queue balancer decides who reads.
        _consumer.Assign(new TopicPartitionOffset(_topicPartition, startOffset));
        _expectedOffset = startOffset.Value >= 0 ? startOffset.Value : -1;
        var thread = new Thread(ConsumeLoop)
        {
            IsBackground = true,
            Name = $"kafka-{_topicPartition.Topic}-{_topicPartition.Partition.Value}",
        };
        thread.Start();
    }

    /// <summary>
    /// Returns up to <paramref name="maxCount"/> batch containers; when none is buffered, waits up to <paramref name="maxWait"/>
    /// for the first one without holding a thread.
    /// </summary>
    public async Task<IList<IBatchContainer>> ReadAsync(int maxCount, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var reader = _channel.Reader;
        if (reader.Count == 0 && !reader.Completion.IsCompleted)
        {
            _readWait.CancelAfter(maxWait);
            using var linked = cancellationToken.CanBeCanceled
                ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _readWait.Token)
                : null;
            try
            {
                await reader.WaitToReadAsync(linked?.Token ?? _readWait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The idle wait elapsed: an empty read is the normal answer.
            }
            finally
            {
                if (!_readWait.TryReset())
                {
                    _readWait.Dispose();
                    _readWait = new CancellationTokenSource();
                }
            }
        }

        if (reader.Count == 0)
        {
            return reader.Completion.IsFaulted ? throw reader.Completion.Exception!.InnerException! : [];
        }

        // Consecutive records of one stream share a container: one delivery per read for a stream per partition.
        var readAt = _timeProvider.GetUtcNow().UtcDateTime;
        var batches = new List<IBatchContainer>();
        var records = new List<BrokerRecord>(Math.Min(reader.Count, _maxBatchSize));
        StreamId stream = default;
        while (reader.TryPeek(out var next))
        {
            if (records.Count > 0 && (!next.Stream.Equals(stream) || records.Count == _maxBatchSize))
            {
                batches.Add(new KafkaBatchContainer(stream, new BrokerRecordBatch([.. records], readAt)));
                records.Clear();
                if (batches.Count == maxCount)
                {
                    break;
                }
            }

            reader.TryRead(out _);
            stream = next.Stream;
            records.Add(next.Record);
        }

        if (records.Count > 0)
        {
            batches.Add(new KafkaBatchContainer(stream, new BrokerRecordBatch([.. records], readAt)));
        }

        return batches;
    }

    /// <summary>Stops reading and waits for the consume thread to leave the consumer.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _stopped.Task.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
        _readWait.Dispose();
    }

    private void ConsumeLoop()
    {
        var stopping = _stop.Token;
        var writer = _channel.Writer;
        var nextWatermarkRefresh = _timeProvider.GetTimestamp();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                if (_timeProvider.GetTimestamp() >= nextWatermarkRefresh)
                {
                    RefreshWatermark();
                    nextWatermarkRefresh = _timeProvider.GetTimestamp() + (long)(_watermarkRefreshInterval.TotalSeconds * _timeProvider.TimestampFrequency);
                }

                ConsumeResult<string?, byte[]?>? result;
                try
                {
                    result = _consumer.Consume(ConsumePollTimeout);
                }
                catch (ConsumeException exception) when (!exception.Error.IsFatal)
                {
                    // Transient broker errors: librdkafka reconnects by itself; the offset does not move.
                    LogConsumeError(_topicPartition.Partition.Value, exception.Error.Code, exception.Error.Reason);
                    continue;
                }

                if (result is null || result.IsPartitionEOF)
                {
                    continue;
                }

                NoteSkippedOffsets(result.Offset.Value);
                var item = (_dataAdapter.GetStreamId(result), BrokerRecords.From(result));
                // The record sink (Bronze) gets it as soon as it is read, ahead of Orleans' back-pressure; it only enqueues.
                _tap?.Invoke(item.Item2);
                while (!writer.TryWrite(item))
                {
                    // Channel full: Orleans is not asking for more (cache under pressure). Park this thread until it does.
                    if (!writer.WaitToWriteAsync(stopping).AsTask().GetAwaiter().GetResult())
                    {
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            LogConsumeLoopFailed(_topicPartition.Partition.Value, exception);
            writer.TryComplete(exception);
        }
        finally
        {
            writer.TryComplete();
            _stopped.TrySetResult();
        }
    }

    /// <summary>
    /// Our topic has no transactions and is not compacted, so offsets are contiguous: a jump means the broker deleted
    /// messages before they were read (retention; the embedded broker keeps only about 5 MiB a partition) and
    /// librdkafka's offset reset moved on. They cannot be read any more, but they must not vanish silently.
    /// </summary>
    private void NoteSkippedOffsets(long offset)
    {
        if (_expectedOffset >= 0 && offset > _expectedOffset)
        {
            _tracker.Skipped(offset - _expectedOffset);
            LogOffsetsSkipped(_topicPartition.Partition.Value, _expectedOffset, offset - 1, offset - _expectedOffset);
        }

        _expectedOffset = offset + 1;
    }

    private void RefreshWatermark()
    {
        // Cached by librdkafka from fetch responses: no broker round trip.
        var watermarks = _consumer.GetWatermarkOffsets(_topicPartition);
        if (watermarks.High.Value >= 0)
        {
            _tracker.HighWatermarkIs(watermarks.High.Value);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Kafka partition {Partition}: offsets {First} to {Last} ({Count} messages) were deleted by the broker before they were read; they are lost to this engine. Read faster than the broker's retention, or give it more retention")]
    private partial void LogOffsetsSkipped(int partition, long first, long last, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka partition {Partition}: consume error {Code} ({Reason}); retrying")]
    private partial void LogConsumeError(int partition, Confluent.Kafka.ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Kafka partition {Partition}: reading stopped after a fatal error; the receiver re-creates its consumer on the next read")]
    private partial void LogConsumeLoopFailed(int partition, Exception exception);
}
