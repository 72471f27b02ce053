using Microsoft.Extensions.Logging;
using HealthcareOrleans.Streaming.Kafka.Diagnostics;

namespace HealthcareOrleans.Streaming.Kafka.Checkpointing;

/// <summary>
/// Persists one partition's delivered position. The receiver reports positions as Orleans purges delivered messages
/// (the guide: "persist a checkpoint only after all consumers have advanced beyond the cached messages"); this class
/// writes the latest one on its own timer, so a checkpoint trails delivery by at most one interval even when no
/// further purge or read comes (dotnet/orleans#10093: checkpoints that only move on cache purge replay millions of
/// messages), and once more on shutdown so the next owner resumes where this one stopped (dotnet/orleans#11242).
/// Two limits hold the saved position back: a position must have been delivered for the settle delay (consumers
/// persist their state a little later than they process), and it never passes the durable position of the record
/// sink (the lake's Bronze), so a restart re-reads whatever the sink has not yet made durable.
/// </summary>
internal sealed partial class PartitionCheckpointer : IPartitionCheckpointer
{
    private readonly IPartitionCheckpointStore _store;
    private readonly PartitionCheckpointKey _key;
    private readonly TimeSpan _interval;
    private readonly Action<long>? _afterSave;
    private readonly PartitionTracker _tracker;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _settleDelay;
    private readonly Func<long?>? _durableLimit;
    // Delivered positions not yet settled, oldest first: (timestamp, next offset). Only used with a settle delay.
    private readonly Queue<(long At, long NextOffset)> _unsettled = new();
    private readonly SemaphoreSlim _saveLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private long _delivered;
    private long _settled;
    private long _saved;
    private Task _loop = Task.CompletedTask;

    /// <param name="afterSave">Called with each saved offset, e.g. to commit it to the broker for visibility.</param>
    /// <param name="settleDelay">How long a delivered position waits before it may be saved.</param>
    /// <param name="durableLimit">The highest next offset that may be saved (null: nothing may be saved yet); null when unlimited.</param>
    public PartitionCheckpointer(
        IPartitionCheckpointStore store,
        PartitionCheckpointKey key,
        long? loaded,
        TimeSpan interval,
        Action<long>? afterSave,
        PartitionTracker tracker,
        ILogger logger,
        TimeProvider timeProvider,
        TimeSpan settleDelay = default,
        Func<long?>? durableLimit = null)
    {
        _settleDelay = settleDelay;
        _durableLimit = durableLimit;
        _store = store;
        _key = key;
        _interval = interval;
        _afterSave = afterSave;
        _tracker = tracker;
        _logger = logger;
        _timeProvider = timeProvider;
        _delivered = _settled = _saved = loaded ?? -1;
        if (loaded is { } offset)
        {
            tracker.Checkpointed(offset);
        }
    }

    /// <summary>The last offset written to the store, or -1.</summary>
    public long SavedOffset => Interlocked.Read(ref _saved);

    public void Start() => _loop = RunAsync(_stop.Token);

    /// <summary>Every message before <paramref name="nextOffset"/> has been processed by all consumers.</summary>
    public void Delivered(long nextOffset)
    {
        if (_settleDelay > TimeSpan.Zero)
        {
            lock (_unsettled)
            {
                _unsettled.Enqueue((_timeProvider.GetTimestamp(), nextOffset));
            }
        }

        var current = Interlocked.Read(ref _delivered);
        while (nextOffset > current)
        {
            var seen = Interlocked.CompareExchange(ref _delivered, nextOffset, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>Stops the timer and waits until the last delivered position reported so far has settled (at most one settle delay).</summary>
    public async Task SettleAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        // A timer may fire a fraction of a millisecond early (delays round to whole milliseconds): wait until it has.
        while (UntilSettled() is { } remaining && remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining + TimeSpan.FromMilliseconds(1), _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the settled position (capped by the durable limit) after <see cref="SettleAsync"/>.</summary>
    public Task SaveFinalAsync(CancellationToken cancellationToken) => SaveIfAdvancedAsync(cancellationToken);

    private TimeSpan? UntilSettled()
    {
        if (_settleDelay <= TimeSpan.Zero)
        {
            return null;
        }

        lock (_unsettled)
        {
            return _unsettled.Count == 0 ? null : _settleDelay - _timeProvider.GetElapsedTime(_unsettled.Last().At);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        _saveLock.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_interval, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                try
                {
                    await SaveIfAdvancedAsync(stopping).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // Keep the loop alive: the next tick retries with the then-latest position.
                    LogSaveFailed(_key, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task SaveIfAdvancedAsync(CancellationToken cancellationToken)
    {
        await _saveLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var target = Settled();
            if (_durableLimit is not null)
            {
                target = _durableLimit() is { } durable ? Math.Min(target, durable) : -1;
            }

            if (target < 0 || target <= Interlocked.Read(ref _saved))
            {
                return;
            }

            await _store.SaveAsync(_key, target, cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _saved, target);
            _tracker.Checkpointed(target);
            LogSaved(_key, target);
            if (_afterSave is not null)
            {
                try
                {
                    _afterSave(target);
                }
                catch (Exception exception)
                {
                    // The store is the source of truth; the broker copy is only for visibility.
                    LogAfterSaveFailed(_key, target, exception);
                }
            }
        }
        finally
        {
            _saveLock.Release();
        }
    }

    /// <summary>The latest delivered position that has waited out the settle delay.</summary>
    private long Settled()
    {
        if (_settleDelay <= TimeSpan.Zero)
        {
            return Interlocked.Read(ref _delivered);
        }

        lock (_unsettled)
        {
            while (_unsettled.TryPeek(out var oldest) && _timeProvider.GetElapsedTime(oldest.At) >= _settleDelay)
            {
                _unsettled.Dequeue();
                _settled = Math.Max(_settled, oldest.NextOffset);
            }

            return _settled;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Checkpoint {Partition} saved at offset {NextOffset}")]
    private partial void LogSaved(PartitionCheckpointKey partition, long nextOffset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Saving checkpoint {Partition} failed; retrying on the next interval")]
    private partial void LogSaveFailed(PartitionCheckpointKey partition, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Checkpoint {Partition} saved at {NextOffset} but committing it to the broker failed; progress shown by broker tools may lag")]
    private partial void LogAfterSaveFailed(PartitionCheckpointKey partition, long nextOffset, Exception exception);
}
