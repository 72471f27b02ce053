using System.Runtime.CompilerServices;
using HealthcareOrleans.Simulation.Faults;
using HealthcareOrleans.Simulation.Model;
using HealthcareOrleans.Simulation.Output;
using HealthcareOrleans.Simulation.Running;

namespace HealthcareOrleans.Simulation;

/// <summary>
/// The simulator's entry point: a seeded hospital simulation paced against a clock. Each enumeration of
/// <see cref="GenerateAsync"/> is a fresh run from <see cref="SimulationOptions.Start"/>, so enumerating twice with an
/// explicit start gives the same messages byte for byte.
/// </summary>
public sealed class PatientFlowSimulator
{
    // Decorrelates the fault injector's random stream from the hospital's: turning faults on must not change the hospital.
    private const int FaultSeedSalt = 0x5F3759DF;

    private readonly TimeProvider _clock;

    /// <param name="clock">The wall clock; tests pass a fake one so that waiting for real time is instant.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public PatientFlowSimulator(SimulationOptions options, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        Options = options;
        _clock = clock ?? TimeProvider.System;
    }

    public SimulationOptions Options { get; }

    /// <summary>
    /// The messages of one run, released in pace with the clock (never an event time ahead of it, except the injected
    /// future-time faults), until <see cref="SimulationOptions.Count"/> messages or cancellation.
    /// </summary>
    public async IAsyncEnumerable<SimulatedMessage> GenerateAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var start = ResolveStart();
        var model = new PatientFlowModel(Options, start, Options.IdPrefix ?? IdSource.DerivePrefix(Options.Seed, start));
        var injector = new FaultInjector(
            Options.Faults,
            new MessageCorruptor(Options.Layout, Options.Format, _clock),
            new Random(Options.Seed ^ FaultSeedSalt));
        var pacer = new SimulationPacer(_clock, Options, start);
        var sequence = 0L;
        foreach (var outgoing in injector.Apply(Drafts(model)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await pacer.WaitForReleaseAsync(outgoing.ReleaseAt, cancellationToken).ConfigureAwait(false);
            yield return new SimulatedMessage(sequence++, outgoing.Key, outgoing.Value, outgoing.Event, outgoing.Fault, outgoing.ReleaseAt);
            if (Options.Count > 0 && sequence >= Options.Count)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// Runs the simulation into <paramref name="sink"/> (the silo's in-process feed, a file, a test). Cancellation ends
    /// the run gracefully: the result reports what was delivered and <see cref="SimulationRun.Cancelled"/>.
    /// </summary>
    public async Task<SimulationRun> RunAsync(Func<SimulatedMessage, CancellationToken, ValueTask> sink, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var tally = new SimulationTally();
        var started = _clock.GetTimestamp();
        try
        {
            await foreach (var message in GenerateAsync(cancellationToken).ConfigureAwait(false))
            {
                await sink(message, cancellationToken).ConfigureAwait(false);
                tally.Record(message);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return tally.ToRun(_clock.GetElapsedTime(started), cancelled: true);
        }

        return tally.ToRun(_clock.GetElapsedTime(started), cancelled: false);
    }

    /// <summary>The simulated start: as configured or a default history back from now, in whole seconds of UTC.</summary>
    public DateTimeOffset ResolveStart()
    {
        var start = (Options.Start ?? _clock.GetUtcNow() - SimulationOptions.DefaultHistory).ToUniversalTime();
        return new DateTimeOffset(start.UtcTicks - (start.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    private IEnumerable<MessageDraft> Drafts(PatientFlowModel model)
    {
        var batch = new List<GeneratedEvent>();
        while (true)
        {
            batch.Clear();
            model.Advance(batch);
            foreach (var generated in batch)
            {
                if (MessageDraft.Encode(generated, Options.Format) is { } draft)
                {
                    yield return draft;
                }
            }
        }
    }
}
