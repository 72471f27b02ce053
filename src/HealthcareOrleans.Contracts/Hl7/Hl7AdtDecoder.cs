using System.Text.Json;
using HealthcareOrleans.Contracts.Events;

namespace HealthcareOrleans.Contracts.Hl7;

/// <summary>
/// HL7 v2 ADT (ER7) → <see cref="PatientFlowEvent"/>, the mapping the README's table documents: MSH-10 → event id,
/// PID-3 (the MR identifier, else the first, with its assigning authority) → patient id, PV1-3 point of care / bed /
/// facility → ward / bed / hospital (MSH-4 when PV1-3 names no facility), PV1-6 → from ward, PV1-19 → encounter,
/// EVN-6, else EVN-2, else MSH-7 → event time, PID-7/8/11 → birth date, gender, postal code; PV1-2 (patient class)
/// rides along as the extension field <c>patient_class</c>. Pure: bytes and the broker's append time in, a decision out.
/// </summary>
public sealed class Hl7AdtDecoder(DecodeLimits limits) : IPayloadDecoder
{
    private const int SchemaVersion = 1;

    public DecodeResult Decode(ReadOnlySpan<byte> payload, DateTimeOffset appendedAt)
    {
        var parsed = Er7Parser.Parse(payload, limits);
        return parsed.Message is { } message ? Map(message, appendedAt) : DecodeResult.Rejected(parsed.Reason!, parsed.Detail!);
    }

    public DecodeResult Map(Er7Message message, DateTimeOffset appendedAt)
    {
        ArgumentNullException.ThrowIfNull(message);
        var msh = message.Header;
        if (message.MessageType is not { } messageType)
        {
            return Missing("MSH-9", "the message type");
        }

        if (messageType != "ADT")
        {
            return DecodeResult.Rejected(RejectionReasons.For(Hl7RejectionReasons.UnsupportedMessageType, Code(messageType)), $"message type {messageType} is not ADT");
        }

        if (message.TriggerEvent is not { } trigger)
        {
            return Missing("MSH-9.2", "the trigger event");
        }

        if (trigger == Hl7AdtTriggers.MergePatient)
        {
            var survivor = message.First("PID") is { } merged ? PatientIdOf(merged, 3) : null;
            var prior = message.First("MRG") is { } mrg ? PatientIdOf(mrg, 1) : null;
            return DecodeResult.Rejected(RejectionReasons.For(Hl7RejectionReasons.UnsupportedTrigger, trigger),
                $"merge of patient {prior ?? "(no MRG-1)"} into patient {survivor ?? "(no PID-3)"}: merging two patients' records is not supported; merge them at the source");
        }

        if (!Hl7AdtTriggers.EventTypes.TryGetValue(trigger, out var eventType))
        {
            return DecodeResult.Rejected(RejectionReasons.For(Hl7RejectionReasons.UnsupportedTrigger, Code(trigger)), $"ADT^{trigger} is not mapped to a patient-flow event");
        }

        if (message.ControlId is not { } eventId)
        {
            return Missing("MSH-10", "the message control id");
        }

        if (message.First("PID") is not { } pid)
        {
            return Missing("PID", "the PID segment");
        }

        if (PatientIdOf(pid, 3) is not { } patientId)
        {
            return Missing("PID-3", "a patient identifier");
        }

        var pv1 = message.First("PV1");
        var wardId = pv1?.Value(3, 1, 1);
        var bedId = pv1?.Value(3, 3, 1);
        var hospitalId = pv1?.Value(3, 4, 1) ?? msh.Value(4, 1);
        var fromWardId = pv1?.Value(6, 1, 1);
        var encounterId = pv1?.Value(19, 1);
        var patientClass = pv1?.Value(2, 1);
        if (hospitalId is null)
        {
            return Missing("PV1-3.4", "the facility (PV1-3.4, else MSH-4)");
        }

        if (eventType is PatientFlowEventType.Admit or PatientFlowEventType.Transfer && wardId is null)
        {
            return Missing("PV1-3", "the assigned point of care for an admission or transfer");
        }

        if ((TooLong(eventId, "MSH-10") ?? TooLong(patientId, "PID-3") ?? TooLong(hospitalId, "PV1-3.4") ?? TooLong(wardId, "PV1-3.1")
            ?? TooLong(bedId, "PV1-3.3") ?? TooLong(fromWardId, "PV1-6") ?? TooLong(encounterId, "PV1-19") ?? TooLong(patientClass, "PV1-2")) is { } tooLong)
        {
            return tooLong;
        }

        if (EventTime(message, appendedAt, out var occurredAt) is { } badTime)
        {
            return badTime;
        }

        if (Demographics(pid, appendedAt, out var demographics) is { } badDemographics)
        {
            return badDemographics;
        }

        var extensions = patientClass is null ? null : new Dictionary<string, string>(StringComparer.Ordinal) { ["patient_class"] = JsonString(patientClass) };
        return DecodeResult.Accepted(new PatientFlowEvent(
            eventId, eventType, occurredAt, hospitalId, patientId, encounterId, wardId, fromWardId, bedId, null, null, demographics,
            SchemaVersion, extensions, SourceFormats.Hl7V2));
    }

    /// <summary>
    /// The patient's id from a CX list: the medical record number (identifier type MR) if there is one, else the
    /// first identifier, qualified by its assigning authority (CX.4: namespace id, else universal id) as
    /// <c>authority:id</c>, since the same number means different patients in different authorities.
    /// </summary>
    public static string? PatientIdOf(Er7Segment segment, int field)
    {
        ArgumentNullException.ThrowIfNull(segment);
        string? chosen = null;
        foreach (var repetition in segment.Repetitions(field))
        {
            if (segment.ValueOf(repetition, 1) is null)
            {
                continue;
            }

            if (segment.ValueOf(repetition, 5) == "MR")
            {
                chosen = repetition;
                break;
            }

            chosen ??= repetition;
        }

        if (chosen is null)
        {
            return null;
        }

        var id = segment.ValueOf(chosen, 1)!;
        var authority = segment.ValueOf(chosen, 4, 1) ?? segment.ValueOf(chosen, 4, 2);
        return authority is null ? id : $"{authority}:{id}";
    }

    private DecodeResult? EventTime(Er7Message message, DateTimeOffset appendedAt, out DateTimeOffset occurredAt)
    {
        occurredAt = default;
        var evn = message.First("EVN");
        var sent = message.Header.Value(7);
        var (field, text) = evn?.Value(6) is { } occurred ? ("EVN-6", occurred)
            : evn?.Value(2) is { } recorded ? ("EVN-2", recorded)
            : ("MSH-7", sent);
        if (text is null)
        {
            return Missing("EVN-2", "an event time (EVN-6, EVN-2 or MSH-7)");
        }

        if (!Hl7Timestamp.TryParse(text, Hl7Timestamp.EventTimeDigits, Hl7Timestamp.OffsetOf(sent) ?? TimeSpan.Zero, out occurredAt)
            || occurredAt < limits.EarliestOccurredAt)
        {
            return DecodeResult.Rejected(RejectionReasons.For(RejectionReasons.BadTimestamp, field),
                $"{field} must be an HL7 time to the minute at least, YYYYMMDDHHMM[SS[.S]][+/-ZZZZ], after {limits.EarliestOccurredAt:yyyy}");
        }

        if (occurredAt > appendedAt + limits.MaxClockSkew)
        {
            return DecodeResult.Rejected(RejectionReasons.For(RejectionReasons.FutureTimestamp, field),
                $"{field} is {(occurredAt - appendedAt).TotalMinutes:0} minutes after the broker received it");
        }

        return null;
    }

    private DecodeResult? Demographics(Er7Segment pid, DateTimeOffset appendedAt, out PatientDemographics? demographics)
    {
        demographics = null;
        DateOnly? birthDate = null;
        if (pid.Value(7) is { } born)
        {
            if (!Hl7Timestamp.TryParseDate(born, out var date) || date > DateOnly.FromDateTime(appendedAt.UtcDateTime))
            {
                return DecodeResult.Rejected(RejectionReasons.For(RejectionReasons.BadTimestamp, "PID-7"), "PID-7 must be a past date, YYYYMMDD at least");
            }

            birthDate = date;
        }

        var gender = pid.Value(8);
        var postalCode = pid.Value(11, 5);
        if ((TooLong(gender, "PID-8") ?? TooLong(postalCode, "PID-11.5")) is { } tooLong)
        {
            return tooLong;
        }

        if (birthDate is not null || gender is not null || postalCode is not null)
        {
            demographics = new PatientDemographics(gender, birthDate, null, postalCode, null);
        }

        return null;
    }

    private DecodeResult? TooLong(string? value, string field) =>
        value is not null && value.Length > limits.MaxFieldLength
            ? DecodeResult.Rejected(RejectionReasons.For(RejectionReasons.FieldTooLong, field), $"{field} is {value.Length} characters, limit {limits.MaxFieldLength}")
            : null;

    private static DecodeResult Missing(string field, string what) =>
        DecodeResult.Rejected(RejectionReasons.For(RejectionReasons.MissingField, field), $"{what} ({field}) is required");

    /// <summary>A sender's code as it may appear in a reason: short and printable, so a hostile value cannot bloat the counters.</summary>
    private static string Code(string value) =>
        value.Length <= 8 && value.All(char.IsAsciiLetterOrDigit) ? value : "other";

    private static string JsonString(string value) => JsonSerializer.Serialize(value, Hl7JsonContext.Default.String);
}
