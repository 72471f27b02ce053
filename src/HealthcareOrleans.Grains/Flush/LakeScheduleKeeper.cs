using HealthcareOrleans.Contracts.Lake;
using HealthcareOrleans.Medallion.Flush;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HealthcareOrleans.Grains.Flush;

/// <summary>
/// Keeps every registered layer's flush grain active. A grain timer lives only as long as its activation; when the
/// silo holding it leaves, nothing would call it again. Each silo pokes the grains every <see cref="Interval"/>
/// (one-way calls), so a schedule is back within that time wherever Orleans places the new activation.
/// </summary>
public sealed partial class LakeScheduleKeeper(
    IGrainFactory grains,
    IEnumerable<LakeLayerSchedule> schedules,
    TimeProvider clock,
    ILogger<LakeScheduleKeeper> logger) : BackgroundService
{
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var layers = schedules.Select(s => s.Layer).Where(l => l != LakeLayers.Bronze).Distinct(StringComparer.Ordinal).ToList();
        if (layers.Count == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            foreach (var layer in layers)
            {
                try
                {
                    await grains.GetGrain<ILakeLayerScheduleGrain>(layer).EnsureScheduledAsync();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Early in start-up the cluster may not accept calls yet; the next tick tries again.
                    LogPokeFailed(logger, layer, ex);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not wake the {Layer} flush grain; retrying")]
    private static partial void LogPokeFailed(ILogger logger, string layer, Exception ex);
}
