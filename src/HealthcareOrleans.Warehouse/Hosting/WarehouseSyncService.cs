using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Warehouse.Loading;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Warehouse.Hosting;

/// <summary>
/// Keeps the warehouse at the latest Gold versions: every PollInterval it asks the loader to load, and the loader
/// touches only tables whose Gold Delta version is not yet in its load log, so an idle lake costs one log read per
/// table. A failed pass is logged and retried at the next tick (the Gold tables and the load log are the state; the
/// service keeps none), so a locked DuckDB file or a paused Synapse pool delays the warehouse but stops nothing.
/// </summary>
public sealed partial class WarehouseSyncService(
    IWarehouseLoader loader,
    ILakeStorage lake,
    IOptions<WarehouseOptions> options,
    ILogger<WarehouseSyncService> logger,
    TimeProvider? time = null) : BackgroundService
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private long _passes;
    private bool _schemaChecked;

    /// <summary>Passes completed (loaded or found nothing to load) since start; tests and health checks wait on it.</summary>
    public long CompletedPasses => Interlocked.Read(ref _passes);

    /// <summary>The last pass's result, or null before the first one completes.</summary>
    public WarehouseLoadResult? LastResult { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.PollInterval;
        LogStarting(loader.Kind, interval.TotalSeconds);
        using PeriodicTimer timer = new(interval, _time);
        do
        {
            await RunOnceAsync(stoppingToken).ConfigureAwait(false);
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One pass; never throws except on shutdown.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!_schemaChecked)
            {
                // Once per run: DuckDB creates its schema, Synapse says which DDL to run when it is missing.
                await loader.EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
                _schemaChecked = true;
            }

            var result = await loader.LoadAsync(lake, cancellationToken).ConfigureAwait(false);
            LastResult = result;
            if (result.Changed)
            {
                var loaded = result.Tables.Count(t => !t.Skipped);
                LogPass(loaded, result.RowsStaged);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is DeltaException or WarehouseSchemaException or IOException or InvalidOperationException or System.Data.Common.DbException or TimeoutException or Azure.RequestFailedException)
        {
            // The message names tables and versions, never row values (no patient identifiers reach the log).
            LogFailed(loader.Kind, e.GetType().Name, e.Message);
        }
        finally
        {
            Interlocked.Increment(ref _passes);
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Warehouse sync ({Kind}) polling the Gold tables every {Seconds:F1} s")]
    private partial void LogStarting(string kind, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warehouse sync loaded {Tables} table(s), {Rows} row(s) staged")]
    private partial void LogPass(int tables, long rows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warehouse sync ({Kind}) failed, retrying at the next poll: {ErrorType}: {ErrorMessage}")]
    private partial void LogFailed(string kind, string errorType, string errorMessage);
}
