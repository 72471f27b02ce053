using HealthcareOrleans.Contracts.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HealthcareOrleans.Grains.Engine;

/// <summary>Sends this silo's counters and partition progress to the engine status grain every few seconds.</summary>
public sealed partial class EngineStatusReporter(
    IGrainFactory grains,
    PipelineCounters counters,
    IEnumerable<IPartitionProgressSource> partitions,
    ILocalSiloDetails silo,
    TimeProvider clock,
    ILogger<EngineStatusReporter> logger,
    BrokerDurability? durability = null) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastApplied = counters.EventsApplied;
        var lastAt = clock.GetTimestamp();
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var applied = counters.EventsApplied;
            var now = clock.GetTimestamp();
            var rate = (applied - lastApplied) / clock.GetElapsedTime(lastAt, now).TotalSeconds;
            (lastApplied, lastAt) = (applied, now);
            var sources = partitions.ToList();
            var report = new SiloPipelineReport
            {
                Silo = silo.Name,
                ReportedAt = clock.GetUtcNow(),
                BrokerAddress = sources.Select(s => s.BrokerAddress).FirstOrDefault(a => a is not null),
                Partitions = [.. sources.SelectMany(s => s.GetPartitions())],
                EventsApplied = applied,
                EventsDuplicate = counters.EventsDuplicate,
                MessagesRejected = counters.MessagesRejected,
                RejectionsByReason = counters.RejectionsByReason,
                EventsPerSecond = Math.Round(rate, 1),
                Durability = durability,
            };
            try
            {
                await grains.GetGrain<IEngineStatusGrain>(0).ReportAsync(report);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogReportFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report pipeline status; will retry")]
    private static partial void LogReportFailed(ILogger logger, Exception ex);
}
