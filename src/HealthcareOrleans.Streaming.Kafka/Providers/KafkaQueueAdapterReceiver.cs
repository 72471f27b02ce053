using Confluent.Kafka;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Streaming.Kafka.Checkpointing;
using HealthcareOrleans.Streaming.Kafka.Diagnostics;
using HealthcareOrleans.Streaming.Kafka.Options;
using HealthcareOrleans.Streaming.Kafka.Tap;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace HealthcareOrleans.Streaming.Kafka.Providers;

/// <summary>
/// Reads one topic partition for one Orleans queue. Starts from the checkpoint, hands messages to the pulling agent,
/// and turns Orleans' "delivered" callbacks into checkpoints.
/// </summary>
internal sealed partial class KafkaQueueAdapterReceiver : IQueueAdapterReceiver, IAsyncDisposable
{
    private readonly string _providerName;
    private readonly KafkaStreamOptions _options;
    private readonly TopicPartition _topicPartition;
    private readonly PartitionCheckpointKey _checkpointKey;
    private readonly IPartitionCheckpointStore _checkpointStore;
    private readonly IReceivedRecordSink? _sink;
    private readonly IReceiverPartsFactory _parts;
    private readonly ReceivedPartition _sinkPartition;
    private readonly KafkaPartitionMonitor _monitor;
    private readonly PartitionTracker _tracker;
    private readonly KafkaStreamInstruments _instruments;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private IPartitionConsumer? _consumer;
    private IPartitionReader? _reader;
    private IPartitionCheckpointer? _checkpointer;
    private readonly DeliveryTracker _deliveries = new();
    private readonly RecentRecordReplay _recent;
    // Orleans keeps delivering to consumers while it shuts the receiver down (its agent does not wait for in-flight
    // deliveries), so cursor reports race the handover on other threads: publishing a delivered position to the
    // checkpointer and the sink, and freezing it at shutdown, happen under this gate, or the sink could make durable a
    // position the final checkpoint never settles (and the next owner re-reads what Bronze already holds).
    private readonly Lock _reportGate = new();
    private long _reportedDelivered = -1;
    private readonly IPartitionLease _lease;
    private long _nextOffset = -1;
    private bool _shutdown;

    public KafkaQueueAdapterReceiver(
        string providerName,
        KafkaStreamOptions options,
        int partition,
        IPartitionCheckpointStore checkpointStore,
        IReceivedRecordSink? sink,
        IReceiverPartsFactory parts,
        KafkaPartitionMonitor monitor,
        KafkaStreamInstruments instruments,
        ILoggerFactory loggerFactory,
        TimeProvider timeProvider)
    {
        _sink = sink;
        _parts = parts;
        _sinkPartition = new ReceivedPartition(options.SourceId, options.Topic, partition);
        _providerName = providerName;
        _options = options;
        _topicPartition = new TopicPartition(options.Topic, new Partition(partition));
        _checkpointKey = new PartitionCheckpointKey(providerName, options.Topic, partition);
        _checkpointStore = checkpointStore;
        _monitor = monitor;
        _tracker = monitor.GetTracker(providerName, options.Topic, partition);
        _instruments = instruments;
        _logger = loggerFactory.CreateLogger<KafkaQueueAdapterReceiver>();
        _timeProvider = timeProvider;
        _recent = new RecentRecordReplay(timeProvider);
        _lease = parts.CreateLease(_checkpointKey, _logger);
    }

    private int Partition => _topicPartition.Partition.Value;

    public Task Initialize(TimeSpan timeout) => Initialize(timeout, CancellationToken.None);

    public async Task Initialize(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            if (await _lease.HoldAsync(timeoutSource.Token).ConfigureAwait(false))
            {
                await StartAsync(timeoutSource.Token).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The agent only logs a failed Initialize; reads retry it, so a broker that is briefly away is no outage.
            LogInitializeFailed(_options.Topic, Partition, exception);
            await StopReadingAsync().ConfigureAwait(false);
        }
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        if (_shutdown || maxCount == 0)
        {
            return [];
        }

        if (!await _lease.HoldAsync(cancellationToken).ConfigureAwait(false))
        {
            return [];
        }

        if (_reader is null)
        {
            await StartAsync(cancellationToken).ConfigureAwait(false);
        }

        await AwaitDeliveriesAsync(cancellationToken).ConfigureAwait(false);
        IList<IBatchContainer> batches;
        try
        {
            // QueueAdapterConstants.UNLIMITED_GET_QUEUE_MSG (-1) means "no cache limit"; still read in bounded bites.
            batches = await _reader!.ReadAsync(maxCount < 0 ? _options.PrefetchCount : maxCount, _options.MaxReadWait, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The consume thread died (fatal client error). Re-create the consumer where Orleans' cache ends so that
            // nothing is skipped and nothing already cached is read twice.
            LogReaderFailed(_options.Topic, Partition, _nextOffset, exception);
            await StopReadingAsync().ConfigureAwait(false);
            throw;
        }

        if (batches.Count > 0)
        {
            var records = 0;
            for (var i = 0; i < batches.Count; i++)
            {
                var batch = (KafkaBatchContainer)batches[i];
                _deliveries.Read(batch.FirstOffset, batch.LastOffset);
                records += batch.Batch.Count;
            }

            _nextOffset = ((KafkaBatchContainer)batches[^1]).LastOffset + 1;
            _tracker.Received(records, _nextOffset);
            _instruments.Received(_tracker, records);
        }

        return batches;
    }

    /// <summary>Waits (bounded by <see cref="KafkaStreamOptions.MaxDeliveryWait"/>) until what was read has been delivered.</summary>
    private async Task AwaitDeliveriesAsync(CancellationToken cancellationToken)
    {
        var owed = _deliveries.AllDeliveredAsync();
        if (owed.IsCompleted || _options.MaxDeliveryWait <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await owed.WaitAsync(_options.MaxDeliveryWait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A long delivery (or a stream nobody consumes): read on, the cache holds the batches in order.
        }
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => MessagesDeliveredAsync(messages, CancellationToken.None);

    /// <summary>
    /// Orleans calls this with the messages it purged from the cache, i.e. those every consumer has moved past. Most
    /// were reported earlier by the cursors (<see cref="CursorPassed"/>); the purge also covers a message whose cursor
    /// was dropped before it moved on.
    /// </summary>
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is KafkaBatchContainer batch)
            {
                _deliveries.Delivered(batch.FirstOffset);
            }
        }

        ReportDelivered();
        return Task.CompletedTask;
    }

    /// <summary>A consumer's cursor moved past <paramref name="message"/>: its delivery has finished.</summary>
    internal void CursorPassed(IBatchContainer message)
    {
        if (message is KafkaBatchContainer batch)
        {
            _deliveries.Delivered(batch.FirstOffset);
            ReportDelivered();
        }
    }

    /// <summary>
    /// Another silo died: hand what this partition delivered in the last <paramref name="window"/> (and what it read
    /// since) to the consumers again, outside the stream. Runs in the background; consumers deduplicate.
    /// </summary>
    internal async Task RedeliverRecentAsync(IRecordRedelivery redelivery, TimeSpan window, string deadSilo, CancellationToken cancellationToken)
    {
        var from = _recent.DeliveredAt(_timeProvider.GetUtcNow() - window);
        var to = _nextOffset;
        if (_shutdown || _reader is null || from < 0 || to <= from)
        {
            return;
        }

        try
        {
            var config = KafkaClientConfigs.ForReceiver(_options, _providerName, Partition);
            config.ClientId += "-redelivery";
            var count = await RecentRecordReplay.ReplayAsync(config, _topicPartition, from, to, redelivery, cancellationToken).ConfigureAwait(false);
            LogRedelivered(_options.Topic, Partition, deadSilo, count, from, to);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRedeliveryFailed(_options.Topic, Partition, deadSilo, exception);
        }
    }

    private void ReportDelivered()
    {
        var watermark = _deliveries.Watermark;
        lock (_reportGate)
        {
            // During a handover the position is frozen: what is delivered after it is read again by the next owner.
            if (_shutdown || watermark <= _reportedDelivered)
            {
                return;
            }

            _reportedDelivered = watermark;
            _recent.Delivered(watermark);
            _checkpointer?.Delivered(watermark);
            _sink?.Deliverable(_sinkPartition, watermark);
        }
    }

    /// <summary>Stops publishing delivered positions; returns the last one published (-1 when none), which every party has seen.</summary>
    private long FreezeDelivered()
    {
        lock (_reportGate)
        {
            _shutdown = true;
            return _reportedDelivered;
        }
    }

    public Task Shutdown(TimeSpan timeout) => Shutdown(timeout, CancellationToken.None);

    public async Task Shutdown(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var delivered = FreezeDelivered();
        LogShuttingDown(_options.Topic, Partition);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await _lease.ExtendForHandoverAsync(timeout, timeoutSource.Token).ConfigureAwait(false);

            if (_reader is not null)
            {
                await _reader.StopAsync().WaitAsync(timeoutSource.Token).ConfigureAwait(false);
            }

            // The handover point is the delivered position once the consumers have had the settle delay to save
            // their state. The sink makes durable exactly up to it and forgets what lies beyond (read, not delivered);
            // the final checkpoint is then the same offset, so the next owner neither skips nor re-reads anything
            // the sink holds. Orleans may start the next owner before this completes (dotnet/orleans#11242): with a
            // lease store it waits for the release below.
            long? handoverAt = delivered >= 0 ? delivered : null;
            if (_checkpointer is not null)
            {
                await _checkpointer.SettleAsync(timeoutSource.Token).ConfigureAwait(false);
            }

            if (_sink is not null)
            {
                await _sink.PartitionStoppingAsync(_sinkPartition, handoverAt, timeoutSource.Token).ConfigureAwait(false);
            }

            if (_checkpointer is not null)
            {
                await _checkpointer.SaveFinalAsync(timeoutSource.Token).ConfigureAwait(false);
            }

            // Only now may the next owner start: it resumes exactly at the checkpoint just saved.
            if (_reader is not null)
            {
                var durable = _sink?.GetDurableNextOffset(_sinkPartition);
                var saved = _checkpointer?.SavedOffset is >= 0 and var offset ? offset : (long?)null;
                LogHandingOver(_options.Topic, Partition, saved, durable);
            }

            await _lease.ReleaseAsync(timeoutSource.Token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogFinalCheckpointFailed(_options.Topic, Partition, exception);
        }
        finally
        {
            await StopReadingAsync().ConfigureAwait(false);
            _monitor.Deactivate(_tracker);
        }
    }

    /// <summary>Releases the consumer if the agent never reached <see cref="Shutdown(TimeSpan, CancellationToken)"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        FreezeDelivered();
        await StopReadingAsync().ConfigureAwait(false);
        _monitor.Deactivate(_tracker);
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var stored = await _checkpointStore.LoadAsync(_checkpointKey, cancellationToken).ConfigureAwait(false);
        var resumeAt = _nextOffset >= 0 ? _nextOffset : await ResumePositionAsync(stored, cancellationToken).ConfigureAwait(false);

        // Building the consumer and querying watermarks block on the network: keep them off the agent's scheduler.
        var (consumer, watermarks) = await Task.Run(() =>
        {
            var built = _parts.CreateConsumer(Partition, _logger);
            try
            {
                return (built, built.QueryWatermarkOffsets(_options.MetadataTimeout));
            }
            catch
            {
                built.Dispose();
                throw;
            }
        }, cancellationToken).ConfigureAwait(false);

        var start = PartitionStart.Choose(resumeAt, watermarks, _options, Partition, _logger, out var trustedCheckpoint);
        _consumer = consumer;
        _tracker.HighWatermarkIs(watermarks.High.Value);
        var startOffset = start.Value >= 0 ? start.Value : _options.StartFrom == KafkaStartPosition.Beginning ? watermarks.Low.Value : watermarks.High.Value;
        _tracker.StartingAt(startOffset);
        if (_nextOffset < 0)
        {
            // A fresh start owes nothing before its first offset; a reader re-created after a failure keeps what the
            // cache still holds.
            _deliveries.StartAt(startOffset);
            _recent.StartAt(startOffset);
            // Nothing read from here on has reached a consumer yet. Without saying so the sink would commit the first
            // reads' whole read-ahead before the first delivery report, past where the final checkpoint can get if the
            // partition moves on soon, and the next owner would read again what Bronze holds.
            lock (_reportGate)
            {
                _reportedDelivered = Math.Max(_reportedDelivered, startOffset);
            }

            _sink?.Deliverable(_sinkPartition, startOffset);
        }
        _tracker.ObserveReadAhead(() => _reader?.Buffered ?? 0);

        if (_checkpointer is null)
        {
            _checkpointer = _parts.CreateCheckpointer(
                _checkpointKey,
                trustedCheckpoint ? stored : null,
                CommitToBroker,
                _tracker,
                _sink is null ? null : () => _sink.GetDurableNextOffset(_sinkPartition));
            _checkpointer.Start();
        }

        var tap = _sink is null ? null : (Action<BrokerRecord>)(record => _sink.Received(_sinkPartition, record));
        _reader = consumer.CreateReader(_tracker, tap);
        _reader.Start(start);
        _monitor.Activate(_tracker);
        LogStarted(_options.Topic, Partition, start, watermarks.Low.Value, watermarks.High.Value);
    }

    /// <summary>Where to resume (<see cref="PartitionStart.Resume"/>), asking the sink what it still needs.</summary>
    private async Task<long?> ResumePositionAsync(long? delivered, CancellationToken cancellationToken)
    {
        if (_sink is null)
        {
            return delivered;
        }

        var needed = await _sink.GetResumeOffsetAsync(_sinkPartition, cancellationToken).ConfigureAwait(false);
        var resume = PartitionStart.Resume(delivered, needed, _options.StartFrom);
        LogResume(_options.Topic, Partition, delivered, needed, resume);
        return resume;
    }

    private void CommitToBroker(long nextOffset) => _consumer?.Commit(nextOffset);

    private async Task StopReadingAsync()
    {
        var reader = Interlocked.Exchange(ref _reader, null);
        if (reader is not null)
        {
            await reader.DisposeAsync().ConfigureAwait(false);
        }

        if (_shutdown && _checkpointer is not null)
        {
            await _checkpointer.DisposeAsync().ConfigureAwait(false);
            _checkpointer = null;
        }

        var consumer = Interlocked.Exchange(ref _consumer, null);
        if (consumer is not null)
        {
            try
            {
                consumer.Close();
            }
            finally
            {
                consumer.Dispose();
            }
        }
    }

    // Information: once per partition start, and the record of where a handover resumed.
    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka {Topic}/{Partition}: delivery checkpoint {Delivered}, record sink needs {Needed}: resuming at {Resume}")]
    private partial void LogResume(string topic, int partition, long? delivered, long? needed, long? resume);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka {Topic}/{Partition}: reading from {Start} (partition holds offsets {Low} to {High})")]
    private partial void LogStarted(string topic, int partition, Offset start, long low, long high);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka {Topic}/{Partition}: initialization failed; the next read retries it")]
    private partial void LogInitializeFailed(string topic, int partition, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Kafka {Topic}/{Partition}: reader failed; re-creating the consumer at offset {NextOffset}")]
    private partial void LogReaderFailed(string topic, int partition, long nextOffset, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka {Topic}/{Partition}: after the loss of silo {Silo}, re-delivered {Count} records (offsets {From} to {To}) to their consumers")]
    private partial void LogRedelivered(string topic, int partition, string silo, int count, long from, long to);

    [LoggerMessage(Level = LogLevel.Error, Message = "Kafka {Topic}/{Partition}: re-delivering recent records after the loss of silo {Silo} failed; grains that lived there may miss their last events until a rebuild")]
    private partial void LogRedeliveryFailed(string topic, int partition, string silo, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka {Topic}/{Partition}: handing over at checkpoint {Checkpoint}, record sink durable up to {Durable}")]
    private partial void LogHandingOver(string topic, int partition, long? checkpoint, long? durable);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka {Topic}/{Partition}: shutting down")]
    private partial void LogShuttingDown(string topic, int partition);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka {Topic}/{Partition}: final checkpoint not saved; the next owner replays from the previous checkpoint")]
    private partial void LogFinalCheckpointFailed(string topic, int partition, Exception exception);
}
