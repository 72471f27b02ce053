using HealthcareOrleans.Contracts.Lake;
using HealthcareOrleans.Medallion.Gold;
using Microsoft.Extensions.Logging;

namespace HealthcareOrleans.Grains.Gold;

/// <summary>
/// A graceful stop flushes Gold first, while the patient grains still answer: the changes marked in this silo's memory
/// would otherwise wait for the next start (where <see cref="SilverProgressChangeFeed"/> recovers them from Silver).
/// Runs before the stream receivers stop (the stage after <c>Active</c> stops first); what arrives in between is
/// recovered from Silver the same way. Bounded by <see cref="Budget"/>: the receivers' own stop (final Bronze commit,
/// checkpoint, lease release) must not wait behind a long Gold flush, and what the flush did not finish is recovered.
/// </summary>
public sealed partial class GoldShutdownFlush(IGrainFactory grains, ILogger<GoldShutdownFlush> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(GoldShutdownFlush), ServiceLifecycleStage.Active + 1, _ => Task.CompletedTask, FlushAsync);

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await grains.GetGrain<ILakeFlushGrain>(LakeLayers.Gold).FlushNowAsync().WaitAsync(Budget, cancellationToken);
            LogFlushed(logger);
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Gold flushed before stopping")]
    private static partial void LogFlushed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Gold flush before stopping failed ({Error}); the next start flushes what Silver holds beyond Gold")]
    private static partial void LogFailed(ILogger logger, string error);
}
