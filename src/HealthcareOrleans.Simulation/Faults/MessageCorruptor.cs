using System.Globalization;
using System.Text;
using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Simulation.Model;
using HealthcareOrleans.Simulation.Output;

namespace HealthcareOrleans.Simulation.Faults;

/// <summary>
/// Makes the bad copies: broken bytes, a ward the layout does not have, an impossible time. Copies of valid events get
/// their own event_id (suffix "-F"), so the engine cannot mistake them for duplicates of the genuine event.
/// </summary>
internal sealed class MessageCorruptor(HospitalLayout layout, SimulationFormat format, TimeProvider clock)
{
    private readonly HashSet<string> _knownWards = layout.Wards.Select(w => w.WardId).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A truncated message (a producer that died mid-write) or the right text in the wrong encoding (UTF-16, a classic
    /// producer misconfiguration). Neither can parse: every strict prefix of a JSON object lacks its closing brace,
    /// and UTF-16 puts a NUL byte right after the opening brace.
    /// </summary>
    public OutgoingMessage Malformed(MessageDraft draft, Random random)
    {
        var value = random.Chance(0.5)
            ? draft.Value.AsSpan(0, random.Next(1, draft.Value.Length - 1)).ToArray()
            : Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(draft.Value));
        return new OutgoingMessage(draft.Key, value, null, FaultKind.MalformedJson, draft.At);
    }

    public bool CanNameUnknownWard(MessageDraft draft) => format == SimulationFormat.Adt && draft.Event.WardId is not null;

    public OutgoingMessage UnknownWard(MessageDraft draft, Random random)
    {
        string wardId;
        do
        {
            wardId = string.Create(CultureInfo.InvariantCulture, $"{draft.Event.HospitalId}-W{random.Next(100, 1000)}");
        }
        while (_knownWards.Contains(wardId));

        var evt = draft.Event with
        {
            EventId = draft.Event.EventId + "-F",
            WardId = wardId,
            BedId = draft.Event.BedId is null ? null : wardId + "-B01",
        };
        return new OutgoingMessage(draft.Key, PatientFlowEncoder.Encode(evt), evt, FaultKind.UnknownWard, draft.At);
    }

    /// <summary>
    /// A discharge dated before its admission when the event is a discharge of an admitted patient (half the time),
    /// otherwise a time hours ahead of the wall clock. "Ahead" is measured from the start of the current wall-clock hour
    /// plus two hours, so it is past any clock skew allowance yet stable within the hour for reproducible runs.
    /// </summary>
    public OutgoingMessage ImpossibleTime(MessageDraft draft, Random random)
    {
        var source = draft.Source;
        var isAdmittedDischarge = source.Event.EventType == PatientFlowEventType.Discharge && source.AdmittedAt is not null;
        if (isAdmittedDischarge && random.Chance(0.5))
        {
            var before = source.AdmittedAt!.Value - random.Uniform(TimeSpan.FromHours(1), TimeSpan.FromHours(12));
            return Retimed(draft, occurredAt: before, dischargeBeforeAdmission: true);
        }

        var now = clock.GetUtcNow();
        var hourStart = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);
        var baseline = hourStart > draft.At ? hourStart : draft.At;
        var future = baseline + TimeSpan.FromHours(2) + random.Uniform(TimeSpan.Zero, TimeSpan.FromHours(22));
        return Retimed(draft, occurredAt: future, dischargeBeforeAdmission: false);
    }

    private OutgoingMessage Retimed(MessageDraft draft, DateTimeOffset occurredAt, bool dischargeBeforeAdmission)
    {
        var evt = draft.Event with { EventId = draft.Event.EventId + "-F", OccurredAt = occurredAt };
        byte[] value;
        if (format == SimulationFormat.Adt)
        {
            value = PatientFlowEncoder.Encode(evt);
        }
        else
        {
            var flat = draft.Source.Flat!;
            value = (dischargeBeforeAdmission
                ? flat with { DischargeTime = occurredAt }
                : flat with { AdmissionTime = occurredAt, DischargeTime = null }).Encode();
        }

        return new OutgoingMessage(draft.Key, value, evt, FaultKind.ImpossibleTime, draft.At);
    }
}
