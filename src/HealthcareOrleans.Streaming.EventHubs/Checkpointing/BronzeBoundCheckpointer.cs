using System.Globalization;
using HealthcareOrleans.Streaming.Kafka.Tap;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace HealthcareOrleans.Streaming.EventHubs.Checkpointing;

/// <summary>
/// One partition's checkpoint in the provider's Azure Table checkpointer, held to what Bronze made durable. Positions
/// are next sequence numbers (<see cref="Providers.PartitionStreamDataAdapter"/>).
/// <list type="bullet">
/// <item>Start: min(checkpoint, what Bronze still needs), so Bronze sees every event at least once and keeps it once
/// (its Delta <c>txn</c> drops what it holds); stream consumers may see events again (they deduplicate by event id).</item>
/// <item>Running: Orleans reports delivery progress (cache purge, and the earliest consumer at shutdown); the table is
/// offered min(delivered, Bronze durable) when reported and again every persist interval, because Bronze often becomes
/// durable after the report and the table checkpointer writes only when offered a position.</item>
/// <item>Stop: Bronze makes the delivered part durable and forgets the rest (the next owner reads it again), then the
/// final position is written.</item>
/// </list>
/// Bronze is not bounded by delivery while running (<see cref="IReceivedRecordSink.Deliverable"/> is not called):
/// Orleans' Event Hubs cache reports delivery only when it purges, minutes behind (<c>DataMinTimeInCache</c>), and the
/// start at min(checkpoint, Bronze) already re-delivers whatever Bronze holds beyond the checkpoint.
/// </summary>
internal sealed partial class BronzeBoundCheckpointer : IStreamQueueCheckpointer<string>, IAsyncDisposable
{
    private readonly IStreamQueueCheckpointer<string> _table;
    private readonly IReceivedRecordSink? _bronze;
    private readonly ReceivedPartition _partition;
    private readonly bool _startFromNow;
    private readonly TimeSpan _persistInterval;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private long? _resume;
    private long _delivered = -1;
    private long _offered = -1;

    public BronzeBoundCheckpointer(
        IStreamQueueCheckpointer<string> table,
        IReceivedRecordSink? bronze,
        ReceivedPartition partition,
        bool startFromNow,
        TimeSpan persistInterval,
        TimeProvider clock,
        ILogger logger)
    {
        _table = table;
        _bronze = bronze;
        _partition = partition;
        _startFromNow = startFromNow;
        _persistInterval = persistInterval;
        _clock = clock;
        _logger = logger;
    }

    public bool CheckpointExists => _resume is not null;

    /// <summary>The last position offered to the table, or -1.</summary>
    public long Offered
    {
        get
        {
            lock (_gate)
            {
                return _offered;
            }
        }
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<string> Load() => Load(CancellationToken.None);

    public async Task<string> Load(CancellationToken cancellationToken)
    {
        var stored = await _table.Load(cancellationToken).ConfigureAwait(false);
        long? checkpoint = _table.CheckpointExists && long.TryParse(stored, NumberStyles.None, CultureInfo.InvariantCulture, out var position) ? position : null;
        long? needed = _bronze is null ? null : await _bronze.GetResumeOffsetAsync(_partition, cancellationToken).ConfigureAwait(false);
        _resume = (_bronze, checkpoint, needed) switch
        {
            (null, _, _) => checkpoint,
            (_, { } c, { } n) => Math.Min(c, n),
            // Bronze holds nothing of this partition: read it from its oldest event into Bronze, unless told to start
            // from now, where the checkpoint is the earliest position anyone needs.
            (_, _, null) => _startFromNow ? checkpoint : null,
            // No checkpoint (a new consumer group or table): replay for the consumers, or at least from where Bronze stopped.
            (_, null, { } n) => _startFromNow ? n : null,
        };
        lock (_gate)
        {
            _offered = checkpoint ?? -1;
            _delivered = _resume ?? -1;
        }

        LogResume(_partition.Topic, _partition.Partition, checkpoint, needed, _resume);
        _loop = OfferPeriodicallyAsync(_stop.Token);
        return _resume is { } resume ? resume.ToString(CultureInfo.InvariantCulture) : stored;
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public void Update(string offset, DateTime utcNow) => Update(offset, utcNow, CancellationToken.None);

    public void Update(string offset, DateTime utcNow, CancellationToken cancellationToken)
    {
        if (!long.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out var next))
        {
            return;
        }

        lock (_gate)
        {
            if (next <= _delivered)
            {
                return;
            }

            _delivered = next;
        }

        Offer(utcNow);
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await StopLoopAsync().ConfigureAwait(false);
        long delivered;
        lock (_gate)
        {
            delivered = _delivered;
        }

        if (_bronze is not null)
        {
            await _bronze.PartitionStoppingAsync(_partition, delivered >= 0 ? delivered : null, cancellationToken).ConfigureAwait(false);
        }

        Offer(_clock.GetUtcNow().UtcDateTime);
        await _table.FlushAsync(cancellationToken).ConfigureAwait(false);
        var durable = _bronze?.GetDurableNextOffset(_partition);
        LogFlushed(_partition.Topic, _partition.Partition, Offered, durable);
    }

    public async ValueTask DisposeAsync()
    {
        await StopLoopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task StopLoopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private void Offer(DateTime utcNow)
    {
        string? position = null;
        lock (_gate)
        {
            var target = _delivered;
            if (_bronze is not null)
            {
                target = _bronze.GetDurableNextOffset(_partition) is { } durable ? Math.Min(target, durable) : -1;
            }

            if (target > _offered)
            {
                _offered = target;
                position = target.ToString(CultureInfo.InvariantCulture);
            }
        }

        if (position is not null)
        {
            // Saves now, or remembers it for the table's next save (it throttles to its persist interval).
            _table.Update(position, utcNow, CancellationToken.None);
        }
    }

    private async Task OfferPeriodicallyAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_persistInterval, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                try
                {
                    Offer(_clock.GetUtcNow().UtcDateTime);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogOfferFailed(_partition.Topic, _partition.Partition, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Event Hubs {EventHub}/{Partition}: checkpoint {Checkpoint}, Bronze needs {Needed}: resuming at sequence number {Resume}")]
    private partial void LogResume(string eventHub, int partition, long? checkpoint, long? needed, long? resume);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event Hubs {EventHub}/{Partition}: final checkpoint {Checkpoint}, Bronze durable up to {Durable}")]
    private partial void LogFlushed(string eventHub, int partition, long checkpoint, long? durable);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event Hubs {EventHub}/{Partition}: offering the checkpoint failed; the next interval retries")]
    private partial void LogOfferFailed(string eventHub, int partition, Exception exception);
}
