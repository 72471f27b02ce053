using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.Contracts.Wards;
using HealthcareOrleans.Grains.Telemetry;
using HealthcareOrleans.PatientFlow.Hospital;
using HealthcareOrleans.PatientFlow.Patients;
using HealthcareOrleans.PatientFlow.Wards;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Storage;

namespace HealthcareOrleans.Grains.Wards;

/// <summary>
/// One ward's live census, fed by the patient grains. Updates apply at once and are written in the background, half a
/// patient's write delay after the first unwritten one, so that when a patient saves, the receipt of its read usually
/// reads as stored already and it need not call. A patient's confirmation (the fallback) waits for a write that covers
/// its updates (one write serves every patient waiting on it).
/// Reentrant so that patients waiting for a write do not hold up the updates of others: every state change is
/// synchronous, and a single write is in flight at a time.
/// </summary>
[Reentrant]
public sealed partial class WardGrain(
    [PersistentState("ward", StorageNames.Wards)] IPersistentState<WardLedger> state,
    HospitalDirectory directory,
    IOptions<PatientGrainOptions> options,
    ILogger<WardGrain> logger)
    : Grain, IWardGrain
{
    // This activation's: a receipt of another activation never reads as stored here.
    private readonly WardStorageMark _storage = new();
    private IGrainTimer? _pendingWrite;
    private Task _write = Task.CompletedTask;
    private long _changes;
    private long _durableChanges;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var every = options.Value.WardOccupantCheckInterval;
        this.RegisterGrainTimer(CheckOccupantsAsync, new GrainTimerCreationOptions(every, every) { Interleave = true });
        return Task.CompletedTask;
    }

    public Task ApplyAsync(WardUpdate update)
    {
        Apply(update);
        return Task.CompletedTask;
    }

    public Task<WardReceipt> ApplyBatchAsync(WardUpdateBatch updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var batch = updates.Updates;
        for (var i = 0; i < batch.Length; i++)
        {
            Apply(batch[i]);
        }

        return Task.FromResult(new WardReceipt(_storage, _changes));
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

    /// <summary>
    /// Asks every occupant where it is and corrects the ones that say otherwise. An answer counts only when nothing
    /// moved that occupant while the question was out (its entry is still the very one asked about).
    /// </summary>
    private async Task CheckOccupantsAsync(CancellationToken cancellationToken)
    {
        var wardId = this.GetPrimaryKeyString();
        var asked = state.State.Occupants.Values.ToList();
        if (asked.Count == 0)
        {
            return;
        }

        var answers = await Task.WhenAll(asked.Select(async occupant =>
        {
            try
            {
                return await GrainFactory.GetGrain<IPatientGrain>(occupant.PatientId).GetWardPlacementAsync(wardId);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A patient that cannot answer now is asked again next time.
                return null;
            }
        }));

        var corrected = 0;
        for (var i = 0; i < asked.Count; i++)
        {
            if (answers[i] is not { } answer
                || !state.State.Occupants.TryGetValue(asked[i].PatientId, out var current) || !ReferenceEquals(current, asked[i])
                || Agrees(current, answer))
            {
                continue;
            }

            Apply(answer);
            corrected++;
        }

        if (corrected > 0)
        {
            LogOccupantsCorrected(logger, wardId, corrected);
        }
    }

    private static bool Agrees(WardOccupant occupant, WardUpdate answer) =>
        answer.Presence == occupant.Presence && answer.BedId == occupant.BedId && answer.Since == occupant.Since
        && answer.EncounterId == occupant.EncounterId && answer.Acuity == occupant.Acuity;

    private void Apply(WardUpdate update)
    {
        // Telemetry (issue 6): joins the patient's trace through Orleans' activity propagation on this call.
        using var activity = PipelineActivities.StartWardApply(this.GetPrimaryKeyString(), update);
        state.State.Apply(update);
        _changes++;
        _pendingWrite ??= this.RegisterGrainTimer(BackgroundWriteAsync,
            new GrainTimerCreationOptions(options.Value.StateWriteDelay / 2, Timeout.InfiniteTimeSpan) { KeepAlive = true });
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
            _storage.Stored(_durableChanges);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Ward {WardId}: {Count} occupants said they are elsewhere or changed; corrected")]
    private static partial void LogOccupantsCorrected(ILogger logger, string wardId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ward {WardId}: background state write failed; the next patient confirmation retries it")]
    private static partial void LogBackgroundWriteFailed(ILogger logger, string wardId, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ward {WardId}: stored state was written by another activation; reloading")]
    private static partial void LogStaleActivation(ILogger logger, string wardId, Exception ex);
}
