using HealthcareOrleans.Contracts.Wards;
using HealthcareOrleans.Grains.Hospital;
using HealthcareOrleans.Grains.Telemetry;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Grains.Wards;

/// <summary>One ward's live census, fed by the patient grains; state written in the background like the patients'.</summary>
public sealed class WardGrain(
    [PersistentState("ward", StorageNames.Wards)] IPersistentState<WardLedger> state,
    HospitalDirectory directory,
    IOptions<Patients.PatientGrainOptions> options)
    : Grain, IWardGrain
{
    private IGrainTimer? _pendingWrite;

    public Task ApplyAsync(WardUpdate update)
    {
        // Telemetry (issue 6): joins the patient's trace through Orleans' activity propagation on this call.
        using var activity = PipelineActivities.StartWardApply(this.GetPrimaryKeyString(), update);
        state.State.Apply(update);
        _pendingWrite ??= this.RegisterGrainTimer(WriteStateAsync,
            new GrainTimerCreationOptions(options.Value.StateWriteDelay, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        return Task.CompletedTask;
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
        if (_pendingWrite is not null)
        {
            await WriteStateAsync(cancellationToken);
        }
    }

    private async Task WriteStateAsync(CancellationToken cancellationToken)
    {
        _pendingWrite?.Dispose();
        _pendingWrite = null;
        await state.WriteStateAsync(cancellationToken);
    }
}
