using HealthcareOrleans.Contracts.Wards;
using HealthcareOrleans.Grains.Hospital;
using HealthcareOrleans.Grains.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Storage;

namespace HealthcareOrleans.Grains.Wards;

/// <summary>
/// One ward's live census, fed by the patient grains. Updates apply at once and are written in the background; a
/// patient's confirmation waits for a write that covers its updates (one write serves every patient waiting on it).
/// Reentrant so that patients waiting for a write do not hold up the updates of others: every state change is
/// synchronous, and a single write is in flight at a time.
/// </summary>
[Reentrant]
public sealed partial class WardGrain(
    [PersistentState("ward", StorageNames.Wards)] IPersistentState<WardLedger> state,
    HospitalDirectory directory,
    IOptions<Patients.PatientGrainOptions> options,
    ILogger<WardGrain> logger)
    : Grain, IWardGrain
{
    private IGrainTimer? _pendingWrite;
    private Task _write = Task.CompletedTask;
    private long _changes;
    private long _durableChanges;

    public Task ApplyAsync(WardUpdate update)
    {
        Apply(update);
        return Task.CompletedTask;
    }

    public async Task ConfirmAsync(IReadOnlyList<WardUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        foreach (var update in updates)
        {
            Apply(update);
        }

        // A write already in flight may have serialized the state before these updates: wait for one that covers them.
        var needed = _changes;
        while (_durableChanges < needed)
        {
            await WriteAsync();
        }
    }

    public Task<WardCensus> GetCensusAsync(bool includeOccupants)
    {
        var wardId = this.GetPrimaryKeyString();
        if (!directory.TryGetWard(wardId, out var ward, out var hospitalId))
        {
            throw new ArgumentException($"Ward '{wardId}' is not in the hospital layout.", nameof(includeOccupants));
        }

        return Task.FromResult(state.State.ToCensus(ward, hospitalId, includeOccupants));
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_durableChanges < _changes)
        {
            await WriteAsync();
        }
    }

    private void Apply(WardUpdate update)
    {
        // Telemetry (issue 6): joins the patient's trace through Orleans' activity propagation on this call.
        using var activity = PipelineActivities.StartWardApply(this.GetPrimaryKeyString(), update);
        state.State.Apply(update);
        _changes++;
        _pendingWrite ??= this.RegisterGrainTimer(BackgroundWriteAsync,
            new GrainTimerCreationOptions(options.Value.StateWriteDelay, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private async Task BackgroundWriteAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WriteAsync();
        }
        catch (Exception ex) when (ex is not InconsistentStateException)
        {
            // Nothing is lost: every patient confirms its updates before saving itself, and that retries the write.
            LogBackgroundWriteFailed(logger, this.GetPrimaryKeyString(), ex);
        }
    }

    private Task WriteAsync()
    {
        if (_write.IsCompleted)
        {
            _write = WriteCoveringAsync();
        }

        return _write;
    }

    private async Task WriteCoveringAsync()
    {
        _pendingWrite?.Dispose();
        _pendingWrite = null;
        var covering = _changes;
        try
        {
            await state.WriteStateAsync();
            _durableChanges = Math.Max(_durableChanges, covering);
        }
        catch (InconsistentStateException ex)
        {
            // Another activation wrote this ward (the cluster lost track of this one for a moment): this copy is stale.
            // Reloading is safe because patients confirm what they sent before they save.
            LogStaleActivation(logger, this.GetPrimaryKeyString(), ex);
            DeactivateOnIdle();
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ward {WardId}: background state write failed; the next patient confirmation retries it")]
    private static partial void LogBackgroundWriteFailed(ILogger logger, string wardId, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ward {WardId}: stored state was written by another activation; reloading")]
    private static partial void LogStaleActivation(ILogger logger, string wardId, Exception ex);
}
