using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Contracts.Wards;
using HealthcareOrleans.Grains.Engine;
using HealthcareOrleans.Grains.Gold;
using HealthcareOrleans.Grains.Telemetry;
using HealthcareOrleans.Medallion.Gold;
using HealthcareOrleans.PatientFlow.Gold;
using HealthcareOrleans.PatientFlow.Patients;
using HealthcareOrleans.PatientFlow.Silver;
using HealthcareOrleans.PatientFlow.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace HealthcareOrleans.Grains.Patients;

/// <summary>
/// One patient: decodes its messages, cleanses them into Silver events, keeps them in event-time order and works out
/// what the wards must be told. Its records arrive a partition read at a time from <see cref="PartitionDeliveryGrain"/>,
/// which delivers the ward updates of the whole read. State is written in the background (see
/// <see cref="PatientGrainOptions.StateWriteDelay"/>), when the silo's <see cref="PatientSaveScheduler"/> asks.
/// </summary>
public sealed partial class PatientGrain(
    [PersistentState("patient", StorageNames.Patients)] IPersistentState<PatientState> state,
    PatientGrainServices services)
    : Grain, IPatientGrain, IPatientGoldSource, IPatientSaveGrain, IPatientSaveTarget
{
    // Set by every change that must reach storage, cleared by the write that stored it.
    private bool _saveOwed;

    // The save scheduler will ask for a save: set when queued, cleared when asked.
    private bool _saveQueued;

    // Read by the save scheduler off this activation's scheduler.
    private volatile bool _deactivating;

    // Ward updates sent since the last save, in order, each plan with the receipts its wards gave; before the next save
    // a ward is asked to confirm them (re-sent, and stored) unless every receipt of its updates reads as stored. Null
    // while there are none, which is most of a resident patient's life.
    private List<WardDeltas>? _unconfirmed;

    private string PatientId => this.GetPrimaryKeyString();

    public Task<PatientView?> GetAsync()
    {
        if (state.RecordExists || state.State.EventsApplied > 0 || state.State.EventsRejected > 0)
        {
            return Task.FromResult<PatientView?>(state.State.ToView(PatientId));
        }

        // A lookup of a patient no event ever named: nothing to keep, so the activation goes as soon as it answers
        // instead of holding memory until idle collection (thousands of guessed ids would otherwise stay resident).
        DeactivateOnIdle();
        return Task.FromResult<PatientView?>(null);
    }

    public Task<WardDeltas> ApplyBatchAsync(BrokerRecordBatch records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var changed = false;
        var batch = records.Records;
        for (var i = 0; i < batch.Length; i++)
        {
            changed |= Apply(batch[i]);
        }

        // One projection and one ward plan per read, not per record: the plan is a difference, so the wards end where
        // record-by-record updates would have left them.
        return Task.FromResult(changed ? PlanWardUpdates() : WardDeltas.None);
    }

    public async Task ReceiveAsync(BrokerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!Apply(record))
        {
            return;
        }

        var deltas = PlanWardUpdates();
        try
        {
            await Task.WhenAll(Enumerable.Range(0, deltas.Count).Select(i => GrainFactory.GetGrain<IWardGrain>(deltas.WardIds[i]).ApplyAsync(deltas.Updates[i])));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var error = ex.GetType().Name;
            LogWardUpdateDeferred(services.Logger, error);
        }
    }

    public Task<WardUpdate> GetWardPlacementAsync(string wardId) =>
        Task.FromResult(state.State.SentPlacement is { } placement && placement.WardId == wardId
            ? new WardUpdate(PatientId, placement.EncounterId, placement.Presence, placement.BedId, placement.Since, placement.Acuity, [])
            : new WardUpdate(PatientId, null, WardPresence.Absent, null, null, null, []));

    // Gold (see HealthcareOrleans.Grains.Gold): the rows are a pure function of the projection, as in a rebuild.
    public Task<PatientGoldRows> GetGoldRowsAsync() => Task.FromResult(state.State.EventsApplied > 0
        ? GoldRowBuilder.For(PatientId, state.State.Timeline.Peek(PatientId))
        : new PatientGoldRows(GoldKeys.PatientDurable(PatientId), [], [], []));

    public Task SaveDueAsync()
    {
        _saveQueued = false;
        return _saveOwed ? WriteStateAsync() : Task.CompletedTask;
    }

    bool IPatientSaveTarget.IsActive => !_deactivating;

    Task IPatientSaveTarget.RequestSaveAsync() => this.AsReference<IPatientSaveGrain>().SaveDueAsync();

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _deactivating = true;
        if (_saveOwed)
        {
            await SaveAsync(cancellationToken);
            _saveOwed = false;
        }
    }

    /// <summary>Applies one record to the state; true when the timeline changed.</summary>
    private bool Apply(BrokerRecord record)
    {
        // Telemetry (issue 6): one span per record, under the delivery of the read that carried it.
        using var activity = PipelineActivities.StartPatientApply(record, PatientId, services.Pseudonyms);
        var outcome = services.Intake.Apply(state.State, PatientId, record);
        var rejections = outcome.Rejections;
        PipelineActivities.RecordOutcome(activity, outcome.Changed, outcome.Duplicates, rejections);
        for (var i = 0; i < rejections.Count; i++)
        {
            services.Counters.Rejected(rejections[i]);
            LogRejected(services.Logger, rejections[i], record.Partition, record.Offset);
        }

        for (var i = 0; i < outcome.Duplicates; i++)
        {
            services.Counters.Duplicate();
        }

        if (outcome.Changed)
        {
            services.Counters.Applied(record.AppendedAtUtc, services.Clock.GetUtcNow().UtcDateTime);
        }

        if (outcome.Changed || rejections.Count > 0)
        {
            ScheduleWrite();
        }

        // Gold: mark on a change, and on a redelivered duplicate too: after a silo loss the mark may have died with it.
        if (outcome.Changed || outcome.Duplicates > 0)
        {
            services.GoldChanges?.Mark(PatientId);
        }

        return outcome.Changed;
    }

    /// <summary>
    /// The ward updates that bring the wards to the current projection, recorded as sent now: the confirmation before
    /// the next save re-sends them, so an update that does not arrive only delays the live census, it is never lost.
    /// </summary>
    private WardDeltas PlanWardUpdates()
    {
        var plan = WardSync.Plan(PatientId, state.State.Timeline.Project(PatientId), state.State.SentFacts, state.State.SentPlacement);
        if (plan is null)
        {
            return WardDeltas.None;
        }

        state.State.SentFacts = plan.SentFacts;
        state.State.SentPlacement = plan.Placement;
        var wardIds = new string[plan.Updates.Count];
        var updates = new WardUpdate[plan.Updates.Count];
        for (var i = 0; i < updates.Length; i++)
        {
            (wardIds[i], updates[i]) = plan.Updates[i];
        }

        var deltas = new WardDeltas(wardIds, updates);
        (_unconfirmed ??= []).Add(deltas);
        return deltas;
    }

    private void ScheduleWrite()
    {
        _saveOwed = true;
        if (!_saveQueued)
        {
            _saveQueued = true;
            services.Saves.Schedule(this);
        }
    }

    // No token is handed to storage: a started save finishes, or fails and is retried (Azure Blob honours a token and
    // would drop the write).
    private async Task WriteStateAsync()
    {
        try
        {
            await ConfirmWardUpdatesAsync();
        }
        catch (Exception ex)
        {
            // A ward that could not store the updates (or reloaded after another activation wrote it) gets them again.
            var error = ex.GetType().Name;
            LogSaveFailed(services.Logger, services.Options.StateWriteDelay, error);
            ScheduleWrite();
            return;
        }

        try
        {
            await state.WriteStateAsync(CancellationToken.None);
            _saveOwed = false;

            // The save is a request, which does not interleave with records: nothing changed the state during the write.
            state.State.Timeline.ReleaseDerived();
        }
        catch (InconsistentStateException)
        {
            // Another activation saved this patient: this one is stale and must not overwrite it.
            _saveOwed = false;
            LogStaleActivation(services.Logger);
            DeactivateOnIdle();
        }
        catch (Exception ex)
        {
            var error = ex.GetType().Name;
            LogSaveFailed(services.Logger, services.Options.StateWriteDelay, error);
            ScheduleWrite();
        }
    }

    /// <summary>Wards first, then the patient: a saved patient never believes a ward knows what the ward could still forget.</summary>
    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        await ConfirmWardUpdatesAsync();
        await state.WriteStateAsync(cancellationToken);
    }

    private async Task ConfirmWardUpdatesAsync()
    {
        if (_unconfirmed is not { } unconfirmed)
        {
            return;
        }

        // A ward is asked only when one of its updates has no stored receipt, and then for all of them in order: a
        // later update that is stored must not be overtaken by an earlier one sent again (another activation of the
        // ward may have lost the earlier and stored the later).
        Dictionary<string, List<WardUpdate>>? toConfirm = null;
        HashSet<string>? unstored = null;
        foreach (var deltas in unconfirmed)
        {
            for (var i = 0; i < deltas.Count; i++)
            {
                if (!deltas.IsStored(i))
                {
                    (unstored ??= new HashSet<string>(StringComparer.Ordinal)).Add(deltas.WardIds[i]);
                }
            }
        }

        if (unstored is not null)
        {
            toConfirm = new Dictionary<string, List<WardUpdate>>(StringComparer.Ordinal);
            foreach (var deltas in unconfirmed)
            {
                for (var i = 0; i < deltas.Count; i++)
                {
                    var wardId = deltas.WardIds[i];
                    if (!unstored.Contains(wardId))
                    {
                        continue;
                    }

                    if (!toConfirm.TryGetValue(wardId, out var list))
                    {
                        toConfirm[wardId] = list = [];
                    }

                    list.Add(deltas.Updates[i]);
                }
            }

            var calls = new Task[toConfirm.Count];
            var next = 0;
            foreach (var (wardId, updates) in toConfirm)
            {
                services.Counters.WardConfirmation();
                calls[next++] = GrainFactory.GetGrain<IWardGrain>(wardId).ConfirmAsync(updates);
            }

            await Task.WhenAll(calls);
        }

        _unconfirmed = null;
    }

    // Patient identifiers are PHI: log positions and reasons, never ids.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Message at partition {Partition} offset {Offset} quarantined: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason, int partition, long offset);

    // Exceptions are logged by type only: storage errors name the grain, and the grain id is the patient id.
    [LoggerMessage(Level = LogLevel.Information, Message = "A ward update failed ({Error}); it is re-sent when the patient confirms before saving")]
    private static partial void LogWardUpdateDeferred(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Saving a patient failed ({Error}); retrying in {Delay}")]
    private static partial void LogSaveFailed(ILogger logger, TimeSpan delay, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "A patient's stored state was written by another activation; this activation is dropped, and events it applied but had not saved come back only if the stream replays them")]
    private static partial void LogStaleActivation(ILogger logger);
}
