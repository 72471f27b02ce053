using System.Diagnostics;
using HealthcareOrleans.Contracts.Lake;
using HealthcareOrleans.Medallion.Flush;
using HealthcareOrleans.Medallion.Lake;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Grains.Flush;

/// <summary>
/// One lake layer's scheduler (key = layer name). For Silver, Gold and any layer registered with
/// <c>AddLakeLayerFlusher</c> this single activation is the tables' one committer: it runs the layer's
/// <see cref="ILakeLayerFlusher"/> on a grain timer, retries failures with exponential backoff and reports statuses.
/// Bronze has one writer per silo (the silo's own partitions), so for Bronze this grain only fans a flush request out.
/// </summary>
public sealed partial class LakeFlushGrain(
    IServiceProvider services,
    IOptions<LakeOptions> options,
    TimeProvider clock,
    ILogger<LakeFlushGrain> logger)
    : Grain, ILakeFlushGrain, ILakeLayerScheduleGrain
{
    private readonly LakeOptions _options = options.Value;
    private ILakeLayerFlusher? _flusher;
    private LakeLayerSchedule? _schedule;
    private FlushBackoff? _backoff;
    private FlushStatusBook? _book;
    private IGrainTimer? _timer;

    private string Layer => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Layer == LakeLayers.Bronze)
        {
            return Task.CompletedTask;
        }

        _schedule = services.GetKeyedService<LakeLayerSchedule>(Layer);
        if (_schedule is null)
        {
            // No flusher for this layer on this silo (e.g. Gold not deployed yet): stay idle, answer with an error.
            LogNoFlusher(logger, Layer);
            return Task.CompletedTask;
        }

        // One flusher per activation: it may keep in-memory state (indexes) between runs; a new activation rebuilds it.
        _flusher = services.GetRequiredKeyedService<ILakeLayerFlusher>(Layer);
        _backoff = new FlushBackoff(_options.FirstRetryDelay, _options.MaxRetryDelay);
        _book = new FlushStatusBook(Layer, $"{Layer}-flush@{RuntimeIdentity}");
        var interval = _schedule.Interval(_options);
        _timer = this.RegisterGrainTimer(OnTimerAsync, new GrainTimerCreationOptions(interval, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public Task EnsureScheduledAsync() => Task.CompletedTask;

    public async Task<IReadOnlyList<FlushStatus>> FlushNowAsync()
    {
        if (Layer == LakeLayers.Bronze)
        {
            await GrainFactory.GetGrain<IBronzeFlushCoordinatorGrain>(0).FlushAllAsync();
            var all = await GrainFactory.GetGrain<ILakeStatusGrain>(0).GetAsync();
            return [.. all.Where(s => s.Layer == LakeLayers.Bronze)];
        }

        if (_flusher is null)
        {
            throw new InvalidOperationException(
                $"No flusher is registered for the lake layer '{Layer}'. Known layers: {string.Join(", ", LakeLayers.All)}; a layer needs AddLakeLayerFlusher on the silo.");
        }

        var (statuses, error) = await RunAsync();
        return error is null ? statuses : throw new InvalidOperationException($"The {Layer} flush failed: {error.Message}", error);
    }

    private async Task OnTimerAsync(CancellationToken cancellationToken) => await RunAsync();

    /// <summary>Runs the flusher once, re-arms the timer (interval, or backoff after a failure) and reports.</summary>
    private async Task<(IReadOnlyList<FlushStatus> Statuses, Exception? Error)> RunAsync()
    {
        var started = Stopwatch.GetTimestamp();
        IReadOnlyList<FlushStatus> statuses;
        Exception? error = null;
        TimeSpan next;
        try
        {
            var reported = await _flusher!.FlushAsync(CancellationToken.None);
            _backoff!.Succeeded();
            next = _schedule!.Interval(_options);
            statuses = _book!.Succeeded(reported, clock.GetUtcNow(), Stopwatch.GetElapsedTime(started), clock.GetUtcNow() + next);
        }
        catch (Exception ex)
        {
            error = ex;
            next = _backoff!.Failed();
            LogFlushFailed(logger, Layer, _backoff.ConsecutiveFailures, next, ex);
            statuses = _book!.Failed(ex, _backoff.ConsecutiveFailures, clock.GetUtcNow(), clock.GetUtcNow() + next);
        }

        _timer?.Change(next, Timeout.InfiniteTimeSpan);
        await ReportAsync(statuses);
        return (statuses, error);
    }

    private async Task ReportAsync(IReadOnlyList<FlushStatus> statuses)
    {
        try
        {
            var status = GrainFactory.GetGrain<ILakeStatusGrain>(0);
            await Task.WhenAll(statuses.Select(status.ReportAsync));
        }
        catch (Exception ex)
        {
            // Status is for people; the flush itself succeeded or failed on its own merits.
            LogReportFailed(logger, Layer, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lake layer {Layer}: no flusher registered on this silo; scheduled flushes are off")]
    private static partial void LogNoFlusher(ILogger logger, string layer);

    [LoggerMessage(Level = LogLevel.Error, Message = "Lake layer {Layer}: flush failed ({ConsecutiveFailures} in a row); next attempt in {RetryIn}")]
    private static partial void LogFlushFailed(ILogger logger, string layer, int consecutiveFailures, TimeSpan retryIn, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lake layer {Layer}: could not report flush status")]
    private static partial void LogReportFailed(ILogger logger, string layer, Exception ex);
}
