using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.PatientFlow.Silver;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.PatientFlow.Patients;

/// <summary>What one broker record did to a patient's state.</summary>
/// <param name="Accepted">The events the record added to the timeline, for Silver.</param>
/// <param name="Refusals">Each part of the record that was quarantined (a message may carry several events).</param>
public readonly record struct IntakeOutcome(bool Changed, int Duplicates, IReadOnlyList<IntakeAcceptance> Accepted, IReadOnlyList<IntakeRefusal> Refusals)
{
    public IReadOnlyList<string> Rejections => Refusals.Count == 0 ? [] : [.. Refusals.Select(r => r.Reason)];

    public static IntakeOutcome Refused(IntakeRefusal refusal) => new(false, 0, [], [refusal]);
}

/// <param name="Part">The index of the refused event among those its message decoded into (a flat admission record has two, a FHIR Bundle or an HL7 batch may have more).</param>
public sealed record IntakeRefusal(string Reason, string? Detail, int Part);

/// <param name="SourceFormat">The wire format of the message (<see cref="SourceFormats"/>).</param>
public sealed record IntakeAcceptance(CleanEvent Event, int SchemaVersion, string SourceFormat);

/// <summary>
/// Bronze record → Silver state for one patient: decode, cleanse, place in the timeline, compact. Plain code with
/// no Orleans in it: the patient grain, the Silver flush and a rebuild all run it on each patient's records in
/// broker order, so Silver, the grains and Gold decide every event by one and the same rule set.
/// </summary>
public sealed class PatientIntake(PatientFlowDecoder decoder, SilverCleansing cleansing, IOptions<PatientGrainOptions> options)
{
    private readonly PatientGrainOptions _options = options.Value;

    public IntakeOutcome Apply(PatientState state, string patientId, BrokerRecord record)
    {
        var decoded = decoder.Decode(record);
        if (!decoded.IsAccepted)
        {
            state.EventsRejected++;
            return IntakeOutcome.Refused(new IntakeRefusal(decoded.RejectionReason!, decoded.Detail, 0));
        }

        List<IntakeRefusal>? refusals = null;
        List<IntakeAcceptance>? accepted = null;
        var duplicates = 0;
        var events = decoded.Events;
        for (var part = 0; part < events.Count; part++)
        {
            Insert(state, patientId, record, events[part], part, ref accepted, ref refusals, ref duplicates);
        }

        if (accepted is not null)
        {
            state.Timeline.Compact(patientId, _options.MaxRetainedEvents, _options.MaxRememberedEventIds);
        }

        return new IntakeOutcome(accepted is not null, duplicates, (IReadOnlyList<IntakeAcceptance>?)accepted ?? [], (IReadOnlyList<IntakeRefusal>?)refusals ?? []);
    }

    private void Insert(
        PatientState state, string patientId, BrokerRecord record, PatientFlowEvent evt, int part,
        ref List<IntakeAcceptance>? accepted, ref List<IntakeRefusal>? refusals, ref int duplicates)
    {
        var cleansed = cleansing.Cleanse(evt, patientId, new BrokerPosition(record.Partition, record.Offset, part));
        if (cleansed.Event is null)
        {
            state.EventsRejected++;
            (refusals ??= []).Add(new IntakeRefusal(cleansed.RejectionReason!, cleansed.Detail, part));
            return;
        }

        var outcome = state.Timeline.Insert(cleansed.Event, patientId);
        switch (outcome)
        {
            case TimelineOutcome.Appended or TimelineOutcome.InsertedLate:
                state.EventsApplied++;
                (accepted ??= []).Add(new IntakeAcceptance(cleansed.Event, evt.SchemaVersion, evt.SourceFormat));
                return;
            case TimelineOutcome.Duplicate:
                duplicates++;
                return;
            default:
                state.EventsRejected++;
                (refusals ??= []).Add(RefusalFor(outcome, part));
                return;
        }
    }

    private static IntakeRefusal RefusalFor(TimelineOutcome outcome, int part) => outcome switch
    {
        TimelineOutcome.TooLate => new(RejectionReasons.TooLate, "the event is older than the patient's compacted history (Patients:MaxRetainedEvents)", part),
        TimelineOutcome.ConflictingDuplicate => new(RejectionReasons.ConflictingDuplicate, "event_id was applied before with other content", part),
        TimelineOutcome.ImpossibleTime => new(RejectionReasons.For(RejectionReasons.ImpossibleTime, "occurred_at"), "the event contradicts its encounter's timeline", part),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "not a refusal"),
    };
}
