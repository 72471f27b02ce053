using Microsoft.Extensions.Logging;

namespace HealthcareOrleans.Warehouse.Synapse;

/// <summary>
/// Retries a unit of work on transient SQL errors with exponential backoff and jitter: delay = min(max, base · 2^n),
/// scaled by a random 0.5–1.0 so loaders that failed together do not retry together. A unit is a whole table load,
/// which is idempotent (fresh staging table, set-based sync to the same Gold version), so redoing it is safe.
/// </summary>
public sealed partial class SqlRetryPolicy(SynapseOptions options, ILogger logger, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<T> ExecuteAsync<T>(string operation, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await work(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (attempt < options.MaxRetries && TransientSqlErrors.IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                var delay = Delay(attempt);
                LogRetry(operation, attempt + 1, options.MaxRetries, delay.TotalSeconds, e.GetType().Name, e.Message);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The backoff before retry number <paramref name="attempt"/> + 1.</summary>
    public TimeSpan Delay(int attempt)
    {
        var exponential = options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
        var capped = Math.Min(exponential, options.RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transient SQL error during {Operation}, retry {Attempt} of {MaxRetries} in {DelaySeconds:F1} s: {ErrorType}: {ErrorMessage}")]
    private partial void LogRetry(string operation, int attempt, int maxRetries, double delaySeconds, string errorType, string errorMessage);
}
