using System.Collections.Concurrent;
using HealthcareOrleans.PatientFlow.Patients;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Grains.Patients;

/// <summary>
/// Asks each patient for its background save <see cref="PatientGrainOptions.StateWriteDelay"/> after the patient asked
/// to be saved. One queue for the silo instead of a grain timer per patient: a timer leaves a resident grain about 370
/// bytes of Orleans' timer bookkeeping that outlive it (heap dump of idle patients), and registering one per save was a
/// share of the hot path's CPU. The delay is the same for every save, so the queue is in due order.
/// </summary>
public sealed partial class PatientSaveScheduler : IDisposable
{
    private readonly ConcurrentQueue<(long DueAt, IPatientSaveTarget Patient)> _due = new();
    private readonly TimeProvider _clock;
    private readonly ILogger<PatientSaveScheduler> _logger;
    private readonly long _delayTimestamps;
    private readonly TimeSpan _tick;
    private readonly CancellationTokenSource _stop = new();
    private int _started;

    public PatientSaveScheduler(IOptions<PatientGrainOptions> options, TimeProvider clock, ILogger<PatientSaveScheduler> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _clock = clock;
        _logger = logger;
        var delay = options.Value.StateWriteDelay;
        _delayTimestamps = (long)(delay.TotalSeconds * clock.TimestampFrequency);

        // A save may be asked for up to a tick late: a small fraction of the delay, and no busier than 20 wake-ups a second.
        _tick = TimeSpan.FromTicks(Math.Clamp(delay.Ticks / 4, TimeSpan.TicksPerMillisecond, 50 * TimeSpan.TicksPerMillisecond));
    }

    /// <summary>Queues <paramref name="patient"/>'s save; a patient asks again only once it has been asked to save.</summary>
    public void Schedule(IPatientSaveTarget patient)
    {
        _due.Enqueue((_clock.GetTimestamp() + _delayTimestamps, patient));
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _ = Task.Run(RunAsync);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_tick, _clock, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var now = _clock.GetTimestamp();
            while (_due.TryPeek(out var next) && next.DueAt <= now && _due.TryDequeue(out next))
            {
                Ask(next.Patient);
            }
        }
    }

    private void Ask(IPatientSaveTarget patient)
    {
        // A patient that deactivated saved itself on the way out; asking would only bring it back.
        if (!patient.IsActive)
        {
            return;
        }

        Task request;
        try
        {
            request = patient.RequestSaveAsync();
        }
        catch (Exception ex)
        {
            Retry(patient, ex);
            return;
        }

        if (!request.IsCompletedSuccessfully)
        {
            _ = ObserveAsync(patient, request);
        }
    }

    private async Task ObserveAsync(IPatientSaveTarget patient, Task request)
    {
        try
        {
            await request.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Retry(patient, ex);
        }
    }

    // The request did not complete (a timeout, the silo stopping): the patient still counts on being asked, so ask again
    // after the delay. Had it run after all, the second request finds nothing owed.
    private void Retry(IPatientSaveTarget patient, Exception error)
    {
        if (_stop.IsCancellationRequested || !patient.IsActive)
        {
            return;
        }

        var type = error.GetType().Name;
        LogRequestFailed(_logger, type);
        Schedule(patient);
    }

    // By exception type only: a grain call's error names the grain, and the grain id is the patient id.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Asking a patient to save failed ({Error}); asking again after the write delay")]
    private static partial void LogRequestFailed(ILogger logger, string error);
}

/// <summary>A patient whose background save <see cref="PatientSaveScheduler"/> asks for.</summary>
public interface IPatientSaveTarget
{
    /// <summary>False once the activation has begun to deactivate (it saves itself then); read off its scheduler.</summary>
    bool IsActive { get; }

    /// <summary>Called off the grain's scheduler when its save is due: sends the patient its save request.</summary>
    Task RequestSaveAsync();
}
