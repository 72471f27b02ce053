using System.Collections.Concurrent;
using HealthcareOrleans.PatientFlow.Patients;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Grains.Patients;

/// <summary>
/// Runs each patient's background save <see cref="PatientGrainOptions.StateWriteDelay"/> after it was asked for, on
/// the patient's own scheduler, interleaved with its calls. One queue for the silo instead of a grain timer per
/// patient: a timer leaves a resident grain about 370 bytes of Orleans' timer bookkeeping that outlive it (measured
/// with a heap dump of 100,000 idle patients), and registering one per save was a share of the hot path's CPU.
/// The delay is the same for every save, so the queue is in due order.
/// </summary>
public sealed class PatientSaveScheduler : IDisposable
{
    private readonly ConcurrentQueue<(long DueAt, IPatientSaveTarget Patient)> _due = new();
    private readonly TimeProvider _clock;
    private readonly TimeSpan _delay;
    private readonly TimeSpan _tick;
    private readonly CancellationTokenSource _stop = new();
    private int _started;

    public PatientSaveScheduler(IOptions<PatientGrainOptions> options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        _clock = clock;
        _delay = options.Value.StateWriteDelay;

        // A save may run up to a tick late: a small fraction of the delay, and no busier than 20 wake-ups a second.
        _tick = TimeSpan.FromTicks(Math.Clamp(_delay.Ticks / 4, TimeSpan.TicksPerMillisecond, 50 * TimeSpan.TicksPerMillisecond));
    }

    /// <summary>Queues <paramref name="patient"/>'s save; the patient asks at most once until it is run.</summary>
    public void Schedule(IPatientSaveTarget patient)
    {
        _due.Enqueue((_clock.GetTimestamp() + (long)(_delay.TotalSeconds * _clock.TimestampFrequency), patient));
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
                next.Patient.SaveDue();
            }
        }
    }
}

/// <summary>A grain whose background save <see cref="PatientSaveScheduler"/> runs.</summary>
public interface IPatientSaveTarget
{
    /// <summary>Called off the grain's scheduler when its save is due: the grain queues the save onto its own.</summary>
    void SaveDue();
}
