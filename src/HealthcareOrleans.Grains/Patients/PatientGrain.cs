using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Contracts.Wards;
using HealthcareOrleans.Grains.Engine;
using HealthcareOrleans.Grains.Silver;
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
    PatientFlowDecoder decoder,
    SilverCleansing cleansing,
    PipelineCounters counters,
    IOptions<PatientGrainOptions> options,
    TimeProvider clock,
    ILogger<PatientGrain> logger)
    : Grain, IPatientGrain, IStreamSubscriptionObserver, IAsyncObserver<BrokerRecord>
{
    private readonly PatientGrainOptions _options = options.Value;
    private IGrainTimer? _pendingWrite;

    private string PatientId => this.GetPrimaryKeyString();

    public Task<PatientView?> GetAsync() => Task.FromResult(state.RecordExists || state.State.EventsApplied > 0 || state.State.EventsRejected > 0 ? ToView() : null);

    public Task ReceiveAsync(BrokerRecord record) => ApplyAsync(record);

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
        var decoded = decoder.Decode(record.Payload, new DateTimeOffset(record.AppendedAtUtc, TimeSpan.Zero));
        if (!decoded.IsAccepted)
        {
            Reject(record, decoded.RejectionReason!);
            return;
        }

        var changed = Insert(record, decoded.Event!, part: 0);
        if (decoded.FollowUp is { } followUp)
        {
            changed |= Insert(record, followUp, part: 1);
        }

        if (!changed)
        {
            return;
        }

        var timeline = state.State.Timeline;
        timeline.Compact(PatientId, _options.MaxRetainedEvents, _options.MaxRememberedEventIds);
        await SyncWardsAsync(timeline.Project(PatientId));
        counters.Applied(record.AppendedAtUtc, clock.GetUtcNow().UtcDateTime);
        ScheduleWrite();
    }

    private bool Insert(BrokerRecord record, PatientFlowEvent evt, int part)
    {
        var cleansed = cleansing.Cleanse(evt, PatientId, new BrokerPosition(record.Partition, record.Offset, part));
        if (cleansed.Event is null)
        {
            Reject(record, cleansed.RejectionReason!);
            return false;
        }

        switch (state.State.Timeline.Insert(cleansed.Event, PatientId))
        {
            case TimelineOutcome.Duplicate:
                counters.Duplicate();
                return false;
            case TimelineOutcome.TooLate:
                Reject(record, "too_late");
                return false;
            default:
                state.State.EventsApplied++;
                return true;
        }
    }

    private void Reject(BrokerRecord record, string reason)
    {
        counters.Rejected(reason);
        state.State.EventsRejected++;
        LogRejected(logger, reason, record.Partition, record.Offset);
        ScheduleWrite();
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

    private PatientView ToView()
    {
        var s = state.State;
        var p = s.Timeline.Project(PatientId);
        return new PatientView
        {
            PatientId = PatientId,
            HospitalId = p.HospitalId,
            Status = p.Status,
            EncounterId = p.EncounterId,
            WardId = p.WardId,
            BedId = p.BedId,
            Department = p.Department,
            Acuity = p.Acuity,
            PendingWardId = p.PendingWardId,
            ArrivedAt = p.ArrivedAt,
            AdmittedAt = p.AdmittedAt,
            DischargedAt = p.DischargedAt,
            Attributes = p.Attributes.Current,
            History = [.. p.Attributes.Versions],
            Journey = [.. p.Journey],
            EventsApplied = s.EventsApplied,
            EventsRejected = s.EventsRejected,
            LastEventAt = p.LastEventAt,
        };
    }

    // Patient identifiers are PHI: log positions and reasons, never ids.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Message at partition {Partition} offset {Offset} quarantined: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason, int partition, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The patient-flow stream reported an error")]
    private static partial void LogStreamError(ILogger logger, Exception ex);
}
