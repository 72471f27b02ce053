using HealthcareOrleans.Medallion.Bronze;
using Microsoft.Extensions.Hosting;

namespace HealthcareOrleans.Streaming.EventHubs.Tests.TestSupport;

/// <summary>Flushes Bronze every 200 ms, as the silo's Bronze flush service does on its interval.</summary>
public sealed class BronzeFlushLoop(BronzeWriter bronze) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await bronze.FlushAllAsync(stoppingToken);
                }
                catch (AggregateException)
                {
                    // Failed rows stay buffered; the next tick retries them.
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
