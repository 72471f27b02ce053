using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Grains.Silver;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Grains.Patients;

/// <summary>What one broker record did to a patient's state.</summary>
/// <param name="Rejections">Reasons for each part of the record that was quarantined (a message may carry several events).</param>
public readonly record struct IntakeOutcome(bool Changed, int Duplicates, IReadOnlyList<string> Rejections);

/// <summary>
/// Bronze record → Silver state for one patient: decode, cleanse, place in the timeline, compact. Plain code with
/// no Orleans in it, so the grain stays thin and a single-threaded replay (a rebuild, a test's reference) applies
/// exactly the same rules.
/// </summary>
public sealed class PatientIntake(PatientFlowDecoder decoder, SilverCleansing cleansing, IOptions<PatientGrainOptions> options)
{
    private readonly PatientGrainOptions _options = options.Value;

    public IntakeOutcome Apply(PatientState state, string patientId, BrokerRecord record)
    {
        var decoded = decoder.Decode(record.Payload, new DateTimeOffset(record.AppendedAtUtc, TimeSpan.Zero));
        if (!decoded.IsAccepted)
        {
            state.EventsRejected++;
            return new IntakeOutcome(false, 0, [decoded.RejectionReason!]);
        }

        List<string>? rejections = null;
        var duplicates = 0;
        var changed = false;
        var events = decoded.Events;
        for (var part = 0; part < events.Count; part++)
        {
            changed |= Insert(state, patientId, record, events[part], part, ref rejections, ref duplicates);
        }

        if (changed)
        {
            state.Timeline.Compact(patientId, _options.MaxRetainedEvents, _options.MaxRememberedEventIds);
        }

        return new IntakeOutcome(changed, duplicates, (IReadOnlyList<string>?)rejections ?? []);
    }

    private bool Insert(PatientState state, string patientId, BrokerRecord record, PatientFlowEvent evt, int part, ref List<string>? rejections, ref int duplicates)
    {
        var cleansed = cleansing.Cleanse(evt, patientId, new BrokerPosition(record.Partition, record.Offset, part));
        if (cleansed.Event is null)
        {
            state.EventsRejected++;
            (rejections ??= []).Add(cleansed.RejectionReason!);
            return false;
        }

        switch (state.Timeline.Insert(cleansed.Event, patientId))
        {
            case TimelineOutcome.Duplicate:
                duplicates++;
                return false;
            case TimelineOutcome.TooLate:
                state.EventsRejected++;
                (rejections ??= []).Add(RejectionReasons.TooLate);
                return false;
            default:
                state.EventsApplied++;
                return true;
        }
    }
}
