using Microsoft.Extensions.Logging;

namespace HealthcareOrleans.Grains.Flush;

/// <summary>
/// The cluster's list of Bronze writers (one per silo), for flushing them all on request. Held in memory only: each
/// writer re-registers every few seconds, so a new activation knows them all again within one registration period.
/// </summary>
public sealed partial class BronzeFlushCoordinatorGrain(TimeProvider clock, ILogger<BronzeFlushCoordinatorGrain> logger)
    : Grain, IBronzeFlushCoordinatorGrain
{
    /// <summary>A writer not heard of for this long belongs to a silo that left.</summary>
    internal static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(25);

    private readonly Dictionary<SiloAddress, (string Name, IBronzeFlushObserver Writer, DateTimeOffset SeenAt)> _writers = [];

    public Task RegisterAsync(SiloAddress silo, string siloName, IBronzeFlushObserver writer)
    {
        _writers[silo] = (siloName, writer, clock.GetUtcNow());
        return Task.CompletedTask;
    }

    public async Task FlushAllAsync()
    {
        // Only silos that are members now: a stopped silo's writer would fail (its partitions moved to live silos).
        var active = (await GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Keys.ToHashSet();
        var cutoff = clock.GetUtcNow() - ForgetAfter;
        foreach (var stale in _writers.Where(w => w.Value.SeenAt < cutoff || !active.Contains(w.Key)).Select(w => w.Key).ToList())
        {
            _writers.Remove(stale);
        }

        var flushes = _writers.Select(async w =>
        {
            try
            {
                await w.Value.Writer.FlushNowAsync().WaitAsync(FlushTimeout);
                return null;
            }
            catch (Exception ex)
            {
                LogSiloFlushFailed(logger, w.Value.Name, ex);
                return w.Value.Name;
            }
        }).ToList();
        var failed = (await Task.WhenAll(flushes)).OfType<string>().ToList();
        if (failed.Count > 0)
        {
            throw new InvalidOperationException(
                $"The Bronze flush failed on {string.Join(", ", failed)}; see their status (hc flush status) and logs. Their buffers are kept and retried.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bronze flush on silo {Silo} failed")]
    private static partial void LogSiloFlushFailed(ILogger logger, string silo, Exception ex);
}
