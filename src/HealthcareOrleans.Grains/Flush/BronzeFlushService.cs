using System.Diagnostics;
using HealthcareOrleans.Contracts.Lake;
using HealthcareOrleans.Medallion.Bronze;
using HealthcareOrleans.Medallion.Flush;
using HealthcareOrleans.Medallion.Lake;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Grains.Flush;

/// <summary>
/// Drives this silo's <see cref="BronzeWriter"/>: a flush every <see cref="LakeOptions.BronzeFlushInterval"/>, sooner
/// when a partition buffer reaches <see cref="LakeOptions.BronzeFlushRows"/> or <c>hc flush run bronze</c> asks, with
/// exponential backoff after failures, and a last flush at shutdown.
/// A silo-local hosted service rather than a grain: the buffers are filled by the Kafka consume threads of this
/// process, the row threshold wakes it without a grain call per message, it keeps running whatever the grain
/// scheduler is busy with (Bronze never waits on anything), and it cannot be deactivated while rows are buffered.
/// It registers itself with <see cref="IBronzeFlushCoordinatorGrain"/> so a cluster-wide flush reaches every silo.
/// </summary>
public sealed partial class BronzeFlushService(
    BronzeWriter writer,
    IGrainFactory grains,
    ILocalSiloDetails silo,
    IOptions<LakeOptions> options,
    TimeProvider clock,
    ILogger<BronzeFlushService> logger) : BackgroundService, IBronzeFlushObserver
{
    private static readonly TimeSpan RegisterEvery = TimeSpan.FromSeconds(15);

    private readonly LakeOptions _options = options.Value;
    private readonly FlushBackoff _backoff = new(options.Value.FirstRetryDelay, options.Value.MaxRetryDelay);
    private readonly FlushStatusBook _book = new(LakeLayers.Bronze, silo.Name);
    private readonly SemaphoreSlim _flushNow = new(0, int.MaxValue);
    private readonly object _requestsGate = new();
    private List<TaskCompletionSource> _requests = [];
    private IBronzeFlushObserver? _reference;
    private long _lastRegisteredAt;

    /// <summary>Called by the coordinator for <c>hc flush run bronze</c>: completes after the next flush of this silo.</summary>
    public Task FlushNowAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_requestsGate)
        {
            _requests.Add(done);
        }

        _flushNow.Release();
        return done.Task;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // The receivers flush their own partitions when they stop; this catches whatever is still buffered.
        try
        {
            var result = await writer.FlushAllAsync(cancellationToken);
            LogFinalFlush(logger, result.Rows);
        }
        catch (Exception ex)
        {
            LogFinalFlushFailed(logger, writer.Pending, ex);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wait = _options.BronzeFlushInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            await WaitForWorkAsync(wait, stoppingToken);
            if (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            wait = await FlushOnceAsync(stoppingToken);
            await RegisterAsync();
        }
    }

    private async Task WaitForWorkAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        try
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var full = writer.WaitForFullBufferAsync(wait, either.Token);
            var asked = _flushNow.WaitAsync(wait, either.Token);
            await Task.WhenAny(full, asked);
            await either.CancelAsync();
            // The other wait is cancelled now; a semaphore it may still have taken only means one wake-up fewer.
            await ((Task)Task.WhenAll(full, asked)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <returns>How long to wait before the next flush.</returns>
    private async Task<TimeSpan> FlushOnceAsync(CancellationToken stoppingToken)
    {
        List<TaskCompletionSource> requests;
        lock (_requestsGate)
        {
            (requests, _requests) = (_requests, []);
        }

        var started = Stopwatch.GetTimestamp();
        IReadOnlyList<FlushStatus> statuses;
        TimeSpan next;
        Exception? failure = null;
        try
        {
            var result = await writer.FlushAllAsync(stoppingToken);
            _backoff.Succeeded();
            next = _options.BronzeFlushInterval;
            statuses = _book.Succeeded([writer.Status(silo.Name, result)], clock.GetUtcNow(), Stopwatch.GetElapsedTime(started), clock.GetUtcNow() + next);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            failure = ex;
            next = _backoff.Failed();
            LogFlushFailed(logger, _backoff.ConsecutiveFailures, writer.Pending, next, ex);
            _book.Failed(ex, _backoff.ConsecutiveFailures, clock.GetUtcNow(), clock.GetUtcNow() + next);
            statuses = [.. _book.Current.Select(s => s with { Pending = writer.Pending, Lag = writer.Lag })];
        }

        foreach (var request in requests)
        {
            if (failure is null)
            {
                request.TrySetResult();
            }
            else
            {
                request.TrySetException(failure);
            }
        }

        await ReportAsync(statuses);
        return next;
    }

    private async Task ReportAsync(IReadOnlyList<FlushStatus> statuses)
    {
        try
        {
            var status = grains.GetGrain<ILakeStatusGrain>(0);
            foreach (var s in statuses)
            {
                await status.ReportAsync(s);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogReportFailed(logger, ex);
        }
    }

    private async Task RegisterAsync()
    {
        if (_lastRegisteredAt != 0 && clock.GetElapsedTime(_lastRegisteredAt) < RegisterEvery)
        {
            return;
        }

        try
        {
            // Observers are held weakly by the runtime; this service keeps the object alive, the field keeps the reference.
            _reference ??= grains.CreateObjectReference<IBronzeFlushObserver>(this);
            await grains.GetGrain<IBronzeFlushCoordinatorGrain>(0).RegisterAsync(silo.SiloAddress, silo.Name, _reference);
            _lastRegisteredAt = clock.GetTimestamp();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRegisterFailed(logger, ex);
        }
    }

    // The observer reference is not deleted: it dies with the silo's runtime, which is stopped before services are disposed.
    public override void Dispose()
    {
        _flushNow.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Bronze flush failed ({ConsecutiveFailures} in a row, {Pending} rows buffered); retrying in {RetryIn}")]
    private static partial void LogFlushFailed(ILogger logger, int consecutiveFailures, long pending, TimeSpan retryIn, Exception ex);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bronze: final flush at shutdown committed {Rows} rows")]
    private static partial void LogFinalFlush(ILogger logger, long rows);

    [LoggerMessage(Level = LogLevel.Error, Message = "Bronze: final flush at shutdown failed; {Pending} rows were not committed and will be re-read from the broker by the next owner")]
    private static partial void LogFinalFlushFailed(ILogger logger, long pending, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bronze: could not report flush status")]
    private static partial void LogReportFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Bronze: could not register with the flush coordinator yet; retrying")]
    private static partial void LogRegisterFailed(ILogger logger, Exception ex);
}
