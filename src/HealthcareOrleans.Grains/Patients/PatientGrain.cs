using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Contracts.Wards;
using HealthcareOrleans.Grains.Engine;
using HealthcareOrleans.Grains.Gold;
using HealthcareOrleans.Grains.Silver;
using HealthcareOrleans.Grains.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace HealthcareOrleans.Grains.Patients;

/// <summary>
/// One patient: decodes its messages, cleanses them into Silver events, keeps them in event-time order and tells
/// the wards what changed. State is written in the background (see <see cref="PatientGrainOptions.StateWriteDelay"/>).
/// </summary>
[ImplicitStreamSubscription(PatientFlowStreams.PatientNamespace)]
public sealed partial class PatientGrain(
    [PersistentState("patient", StorageNames.Patients)] IPersistentState<PatientState> state,
    PatientIntake intake,
    PipelineCounters counters,
    IOptions<PatientGrainOptions> options,
    TimeProvider clock,
    ILogger<PatientGrain> logger,
    GoldChangeTracker? goldChanges = null,
    PatientPseudonyms? pseudonyms = null)
    : Grain, IPatientGrain, IPatientGoldSource, IStreamSubscriptionObserver, IAsyncObserver<BrokerRecord>
{
    private readonly PatientGrainOptions _options = options.Value;
    private IGrainTimer? _pendingWrite;

    private string PatientId => this.GetPrimaryKeyString();

    public Task<PatientView?> GetAsync() => Task.FromResult(state.RecordExists || state.State.EventsApplied > 0 || state.State.EventsRejected > 0 ? state.State.ToView(PatientId) : null);

    public Task ReceiveAsync(BrokerRecord record) => ApplyAsync(record);

    // Gold (see HealthcareOrleans.Grains.Gold): the rows are a pure function of the projection, as in a rebuild.
    public Task<PatientGoldRows> GetGoldRowsAsync() => Task.FromResult(state.State.EventsApplied > 0
        ? GoldRowBuilder.For(PatientId, state.State.Timeline.Project(PatientId))
        : new PatientGoldRows(GoldKeys.PatientDurable(PatientId), [], [], []));

    public Task OnNextAsync(BrokerRecord item, StreamSequenceToken? token = null) => ApplyAsync(item);

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(logger, ex);
        return Task.CompletedTask;
    }

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<BrokerRecord>().ResumeAsync(this);

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_pendingWrite is not null)
        {
            _pendingWrite.Dispose();
            _pendingWrite = null;
            await state.WriteStateAsync(cancellationToken);
        }
    }

    private async Task ApplyAsync(BrokerRecord record)
    {
        // Telemetry (issue 6): the root span of this record's trace; the patient appears only as a keyed pseudonym.
        using var activity = PipelineActivities.StartPatientApply(record, PatientId, pseudonyms);
        var outcome = intake.Apply(state.State, PatientId, record);
        PipelineActivities.RecordOutcome(activity, outcome.Changed, outcome.Duplicates, outcome.Rejections);
        foreach (var reason in outcome.Rejections)
        {
            counters.Rejected(reason);
            LogRejected(logger, reason, record.Partition, record.Offset);
        }

        for (var i = 0; i < outcome.Duplicates; i++)
        {
            counters.Duplicate();
        }

        if (outcome.Changed)
        {
            await SyncWardsAsync(state.State.Timeline.Project(PatientId));
            counters.Applied(record.AppendedAtUtc, clock.GetUtcNow().UtcDateTime);
        }

        if (outcome.Changed || outcome.Rejections.Count > 0)
        {
            ScheduleWrite();
        }

        // Gold: mark on a change, and on a redelivered duplicate too: after a silo loss the mark may have died with it.
        if (outcome.Changed || outcome.Duplicates > 0)
        {
            goldChanges?.Mark(PatientId);
        }
    }

    private async Task SyncWardsAsync(PatientProjection projection)
    {
        var plan = WardSync.Plan(PatientId, projection, state.State.SentFacts, state.State.SentPlacement);
        if (plan is null)
        {
            return;
        }

        if (plan.Updates.Count == 1)
        {
            var (wardId, update) = plan.Updates[0];
            await GrainFactory.GetGrain<IWardGrain>(wardId).ApplyAsync(update);
        }
        else
        {
            await Task.WhenAll(plan.Updates.Select(u => GrainFactory.GetGrain<IWardGrain>(u.WardId).ApplyAsync(u.Update)));
        }

        state.State.SentFacts = plan.SentFacts;
        state.State.SentPlacement = plan.Placement;
    }

    private void ScheduleWrite()
    {
        _pendingWrite ??= this.RegisterGrainTimer(WriteStateAsync, new GrainTimerCreationOptions(_options.StateWriteDelay, Timeout.InfiniteTimeSpan)
        {
            KeepAlive = true,
        });
    }

    private async Task WriteStateAsync(CancellationToken cancellationToken)
    {
        _pendingWrite?.Dispose();
        _pendingWrite = null;
        await state.WriteStateAsync(cancellationToken);
    }

    // Patient identifiers are PHI: log positions and reasons, never ids.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Message at partition {Partition} offset {Offset} quarantined: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason, int partition, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The patient-flow stream reported an error")]
    private static partial void LogStreamError(ILogger logger, Exception ex);
}
