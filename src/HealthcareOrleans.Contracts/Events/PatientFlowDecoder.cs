using System.Text.Json;
using System.Text.Unicode;
using HealthcareOrleans.Contracts.Hl7;
using HealthcareOrleans.Contracts.Streaming;

namespace HealthcareOrleans.Contracts.Events;

/// <summary>
/// Turns a topic value into <see cref="PatientFlowEvent"/>s or a rejection, whatever its wire format (see
/// <see cref="PayloadFormat"/>): HL7 v2 ER7, FHIR R4 JSON or the engine's JSON contract. Pure: the result depends
/// only on the bytes and the broker's append time, so rebuilding Silver from Bronze reproduces every decision.
/// </summary>
public sealed class PatientFlowDecoder : IPayloadDecoder
{
    private DecodeResult Oversize(int length) =>
        DecodeResult.Rejected(RejectionReasons.Oversize, $"{length} bytes, limit {Limits.MaxPayloadBytes}");

    private const int CurrentSchemaVersion = 1;

    private readonly Hl7AdtDecoder _hl7;
    private readonly IPayloadDecoder? _fhir;

    public PatientFlowDecoder() : this(DecodeLimits.Default)
    {
    }

    public PatientFlowDecoder(DecodeLimits limits) : this(limits, fhirDecoder: null)
    {
    }

    /// <param name="fhirDecoder">Decodes FHIR R4 payloads; without one they are refused as <c>unsupported_format:fhir</c>.</param>
    public PatientFlowDecoder(DecodeLimits limits, IPayloadDecoder? fhirDecoder)
    {
        Limits = limits;
        _hl7 = new Hl7AdtDecoder(limits);
        _fhir = fhirDecoder;
    }

    public DecodeLimits Limits { get; }

    /// <summary>
    /// Decodes a record as the broker delivered it or as Bronze gives it back: judged against the broker's append time,
    /// and a payload Bronze kept only the size of is <c>oversize</c> exactly as its bytes were when they arrived.
    /// </summary>
    public DecodeResult Decode(BrokerRecord record)
    {
        if (record.DroppedPayloadBytes is { } dropped)
        {
            return Oversize(dropped);
        }

        return Decode(record.Payload, new DateTimeOffset(DateTime.SpecifyKind(record.AppendedAtUtc, DateTimeKind.Utc)));
    }

    /// <param name="appendedAt">When the broker appended the message; events may not lie further in the future than the allowed skew.</param>
    public DecodeResult Decode(ReadOnlySpan<byte> utf8Json, DateTimeOffset appendedAt)
    {
        if (utf8Json.Length > Limits.MaxPayloadBytes)
        {
            return Oversize(utf8Json.Length);
        }

        if (utf8Json.IsEmpty)
        {
            return DecodeResult.Rejected(RejectionReasons.MalformedJson, "empty message");
        }

        if (PayloadFormat.IsHl7V2(utf8Json))
        {
            return _hl7.Decode(utf8Json, appendedAt);
        }

        // The reader does not validate UTF-8 inside values it only skips (unknown fields kept as JsonElement), and
        // later transcoding them would throw outside this method; checking first is one vectorised pass.
        if (!Utf8.IsValid(utf8Json))
        {
            return DecodeResult.Rejected(RejectionReasons.MalformedJson, "the message is not valid UTF-8");
        }

        if (PayloadFormat.IsFhir(utf8Json))
        {
            return _fhir?.Decode(utf8Json, appendedAt)
                ?? DecodeResult.Rejected(RejectionReasons.For(RejectionReasons.UnsupportedFormat, "fhir"), "FHIR resources are not accepted by this decoder");
        }

        PatientFlowDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(utf8Json, PatientFlowJsonContext.Default.PatientFlowDocument);
        }
        catch (JsonException ex) when (ex.GetType() == typeof(JsonException) && ex.Path is not null && ex.InnerException is not JsonException)
        {
            // The serializer rethrows syntax errors as a plain JsonException with a path too, wrapping the reader's
            // JsonReaderException (a JsonException subclass); without that inner exception it is a value of the wrong type.
            return ex.Path == "$"
                ? DecodeResult.Rejected(RejectionReasons.NotAnObject, "the message is not a JSON object")
                : DecodeResult.Rejected(RejectionReasons.For(RejectionReasons.WrongType, FieldOf(ex.Path)), "value has the wrong JSON type");
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            return DecodeResult.Rejected(RejectionReasons.MalformedJson, "the message is not valid JSON");
        }

        if (document is null)
        {
            return DecodeResult.Rejected(RejectionReasons.NotAnObject, "the message is JSON null");
        }

        return document.EventType is null && document.AdmissionTime is not null
            ? DecodeFlatAdmission(document, appendedAt)
            : DecodeAdtEvent(document, appendedAt);
    }

    private DecodeResult DecodeAdtEvent(PatientFlowDocument doc, DateTimeOffset appendedAt)
    {
        if (CheckShape(doc) is { } shapeProblem)
        {
            return shapeProblem;
        }

        if ((Missing(doc.EventId, "event_id") ?? Missing(doc.EventType, "event_type") ?? Missing(doc.OccurredAt, "occurred_at")
            ?? Missing(doc.HospitalId, "hospital_id") ?? Missing(doc.PatientId, "patient_id")) is { } missing)
        {
            return missing;
        }

        if (!PatientFlowEventTypes.TryParse(doc.EventType, out var type))
        {
            return DecodeResult.Rejected(RejectionReasons.UnknownEventType, "event_type is not one of ARRIVAL, ADMIT, TRANSFER, DISCHARGE, UPDATE, CANCEL_ADMIT, CANCEL_TRANSFER, CANCEL_DISCHARGE");
        }

        if (type is PatientFlowEventType.Admit or PatientFlowEventType.Transfer && Missing(doc.WardId, "ward_id") is { } noWard)
        {
            return noWard;
        }

        var schemaVersion = doc.SchemaVersion ?? CurrentSchemaVersion;
        if (schemaVersion < 1 || schemaVersion > Limits.NewestSchemaVersion)
        {
            return DecodeResult.Rejected(RejectionReasons.UnsupportedSchemaVersion, $"schema_version {schemaVersion} is not between 1 and {Limits.NewestSchemaVersion}");
        }

        if (CheckTime(doc.OccurredAt!, "occurred_at", requireOffset: true, appendedAt, out var occurredAt) is { } badTime)
        {
            return badTime;
        }

        if (doc.Acuity is < 1 or > 5)
        {
            return DecodeResult.Rejected(RejectionReasons.For(RejectionReasons.BadValue, "acuity"), "acuity must be between 1 and 5");
        }

        PatientDemographics? demographics = null;
        if (doc.Patient is { } p)
        {
            DateOnly? birthDate = null;
            if (p.BirthDate is not null)
            {
                if (!IsoTimestamp.TryParseDate(p.BirthDate, out var parsed) || parsed > DateOnly.FromDateTime(appendedAt.UtcDateTime))
                {
                    return DecodeResult.Rejected(RejectionReasons.For(RejectionReasons.BadTimestamp, "patient.birth_date"), "birth_date must be a past yyyy-MM-dd date");
                }

                birthDate = parsed;
            }

            if (p.Age is < 0 or > 130)
            {
                return DecodeResult.Rejected(RejectionReasons.For(RejectionReasons.BadValue, "patient.age"), "age must be between 0 and 130");
            }

            demographics = new PatientDemographics(p.Gender, birthDate, p.Age, p.PostalCode, p.Payer);
        }

        return DecodeResult.Accepted(new PatientFlowEvent(
            doc.EventId!, type, occurredAt, doc.HospitalId!, doc.PatientId!, doc.EncounterId, doc.WardId, doc.FromWardId,
            doc.BedId, doc.Department, doc.Acuity, demographics, schemaVersion, UnknownFields(doc)));
    }

    /// <summary>
    /// The classic design's record: one row per admission, its discharge filled in later. It has no event id, so the
    /// id is derived from the patient and the time: a producer re-sending the row yields the same events, deduplicated downstream.
    /// </summary>
    private DecodeResult DecodeFlatAdmission(PatientFlowDocument doc, DateTimeOffset appendedAt)
    {
        if (CheckShape(doc) is { } shapeProblem)
        {
            return shapeProblem;
        }

        if ((Missing(doc.PatientId, "patient_id") ?? Missing(doc.HospitalId, "hospital_id") ?? Missing(doc.Department, "department")) is { } missing)
        {
            return missing;
        }

        if (CheckTime(doc.AdmissionTime!, "admission_time", requireOffset: false, appendedAt, out var admittedAt) is { } badAdmission)
        {
            return badAdmission;
        }

        if (doc.Age is < 0 or > 130)
        {
            return DecodeResult.Rejected(RejectionReasons.For(RejectionReasons.BadValue, "age"), "age must be between 0 and 130");
        }

        DateTimeOffset? dischargedAt = null;
        if (doc.DischargeTime is not null)
        {
            if (CheckTime(doc.DischargeTime, "discharge_time", requireOffset: false, appendedAt, out var parsed) is { } badDischarge)
            {
                return badDischarge;
            }

            if (parsed < admittedAt)
            {
                return DecodeResult.Rejected(RejectionReasons.For(RejectionReasons.ImpossibleTime, "discharge_time"), "discharge_time is before admission_time");
            }

            dischargedAt = parsed;
        }

        var patientId = doc.PatientId!;
        var encounterId = $"{patientId}-{admittedAt.UtcDateTime:yyyyMMddHHmmss}";
        var demographics = new PatientDemographics(doc.Gender, null, doc.Age, null, null);
        var extensions = UnknownFields(doc);
        var admit = new PatientFlowEvent(
            $"flat-{encounterId}-ADMIT", PatientFlowEventType.Admit, admittedAt, doc.HospitalId!, patientId, encounterId,
            null, null, doc.BedId, doc.Department, null, demographics, CurrentSchemaVersion, extensions);
        return dischargedAt is { } at
            ? DecodeResult.Accepted([admit, admit with { EventId = $"flat-{encounterId}-DISCHARGE", EventType = PatientFlowEventType.Discharge, OccurredAt = at, Patient = null }])
            : DecodeResult.Accepted(admit);
    }

    private DecodeResult? CheckShape(PatientFlowDocument doc)
    {
        if (doc.Unknown is { Count: var unknownCount } && unknownCount > Limits.MaxUnknownFields)
        {
            return DecodeResult.Rejected(RejectionReasons.TooManyFields, $"{unknownCount} unknown fields, limit {Limits.MaxUnknownFields}");
        }

        return TooLong(doc.EventId, "event_id") ?? TooLong(doc.EventType, "event_type") ?? TooLong(doc.OccurredAt, "occurred_at")
            ?? TooLong(doc.HospitalId, "hospital_id") ?? TooLong(doc.PatientId, "patient_id") ?? TooLong(doc.EncounterId, "encounter_id")
            ?? TooLong(doc.WardId, "ward_id") ?? TooLong(doc.FromWardId, "from_ward_id") ?? TooLong(doc.BedId, "bed_id")
            ?? TooLong(doc.Department, "department") ?? TooLong(doc.Gender, "gender") ?? TooLong(doc.AdmissionTime, "admission_time")
            ?? TooLong(doc.DischargeTime, "discharge_time") ?? TooLong(doc.Patient?.Gender, "patient.gender")
            ?? TooLong(doc.Patient?.BirthDate, "patient.birth_date") ?? TooLong(doc.Patient?.PostalCode, "patient.postal_code")
            ?? TooLong(doc.Patient?.Payer, "patient.payer")
            ?? Unprintable(doc.EventId, "event_id") ?? Unprintable(doc.HospitalId, "hospital_id") ?? Unprintable(doc.PatientId, "patient_id")
            ?? Unprintable(doc.EncounterId, "encounter_id") ?? Unprintable(doc.WardId, "ward_id") ?? Unprintable(doc.FromWardId, "from_ward_id")
            ?? Unprintable(doc.BedId, "bed_id");
    }

    private static DecodeResult? Unprintable(string? id, string field) =>
        id is not null && IdentifierText.HasForbiddenCharacter(id)
            ? DecodeResult.Rejected(RejectionReasons.For(RejectionReasons.BadValue, field), $"{field} contains a control or bidirectional-override character")
            : null;

    private DecodeResult? CheckTime(string text, string field, bool requireOffset, DateTimeOffset appendedAt, out DateTimeOffset value)
    {
        if (!IsoTimestamp.TryParse(text, requireOffset, out value) || value < Limits.EarliestOccurredAt)
        {
            return DecodeResult.Rejected(RejectionReasons.For(RejectionReasons.BadTimestamp, field),
                requireOffset ? $"{field} must be ISO-8601 with an offset, e.g. 2025-03-04T10:15:00+01:00" : $"{field} must be ISO-8601");
        }

        if (value > appendedAt + Limits.MaxClockSkew)
        {
            return DecodeResult.Rejected(RejectionReasons.For(RejectionReasons.FutureTimestamp, field),
                $"{field} is {(value - appendedAt).TotalMinutes:0} minutes after the broker received it");
        }

        return null;
    }

    private static DecodeResult? Missing(string? value, string field) =>
        string.IsNullOrWhiteSpace(value)
            ? DecodeResult.Rejected(RejectionReasons.For(RejectionReasons.MissingField, field), $"{field} is required")
            : null;

    private DecodeResult? TooLong(string? value, string field) =>
        value is not null && value.Length > Limits.MaxFieldLength
            ? DecodeResult.Rejected(RejectionReasons.For(RejectionReasons.FieldTooLong, field), $"{field} is {value.Length} characters, limit {Limits.MaxFieldLength}")
            : null;

    private static Dictionary<string, string>? UnknownFields(PatientFlowDocument doc)
    {
        if (doc.Unknown is not { Count: > 0 } unknown)
        {
            return null;
        }

        var kept = new Dictionary<string, string>(unknown.Count, StringComparer.Ordinal);
        foreach (var (name, value) in unknown)
        {
            kept[name] = value.GetRawText();
        }

        return kept;
    }

    private static string FieldOf(string path) => path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
}
