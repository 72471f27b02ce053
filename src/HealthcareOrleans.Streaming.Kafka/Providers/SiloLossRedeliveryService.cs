using HealthcareOrleans.Streaming.Kafka.Options;
using HealthcareOrleans.Streaming.Kafka.Tap;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace HealthcareOrleans.Streaming.Kafka.Providers;

/// <summary>
/// Watches cluster membership; when another silo is declared dead, every receiver on this silo hands its recent records
/// (<see cref="KafkaStreamOptions.SiloLossRedeliveryWindow"/>) to their consumers again through
/// <see cref="IRecordRedelivery"/>. Without it, a record this silo delivered to a grain on the dead silo shortly before
/// the crash is gone from that grain's state for good: the stream only re-reads after its own receiver restarts.
/// </summary>
internal sealed partial class SiloLossRedeliveryService(
    string providerName,
    IServiceProvider services,
    KafkaReceiverRegistry receivers,
    IOptionsMonitor<KafkaStreamOptions> options,
    ILogger<SiloLossRedeliveryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var redelivery = services.GetKeyedService<IRecordRedelivery>(providerName);
        if (redelivery is null)
        {
            return;
        }

        var membership = services.GetRequiredService<IClusterMembershipService>();
        var self = services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        // Only a silo seen alive from here counts: the table keeps old dead entries, which are not news.
        var alive = new HashSet<SiloAddress>();
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken).ConfigureAwait(false))
            {
                foreach (var (silo, member) in snapshot.Members)
                {
                    if (member.Status == SiloStatus.Active && !silo.Equals(self))
                    {
                        alive.Add(silo);
                    }
                    else if (member.Status is SiloStatus.ShuttingDown or SiloStatus.Stopping)
                    {
                        // A graceful stop saves its grains while deactivating them: nothing to hand over again.
                        alive.Remove(silo);
                    }

                    if (member.Status != SiloStatus.Dead || !alive.Remove(silo))
                    {
                        continue;
                    }

                    LogSiloDied(logger, silo.ToString(), receivers.All.Count);
                    var window = options.Get(providerName).SiloLossRedeliveryWindow;
                    foreach (var receiver in receivers.All)
                    {
                        _ = receiver.RedeliverRecentAsync(redelivery, window, silo.ToString(), stoppingToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Silo} was declared dead: {Receivers} receivers here re-deliver their recent records to their consumers")]
    private static partial void LogSiloDied(ILogger logger, string silo, int receivers);
}
