using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HealthcareOrleans.Contracts.Events;
using Hl7.Fhir.Model;

namespace HealthcareOrleans.Contracts.Fhir;

/// <summary>
/// One Encounter as the movements it records: where the patient went, in the order of the location history, and
/// whether the stay has ended. The mapping table is in the README ("FHIR R4 Encounter input").
/// </summary>
internal sealed partial class EncounterFlow(DecodeLimits limits, string? defaultHospitalId)
{
    private enum Kind { Emergency, Inpatient, PreAdmission }

    private sealed record Stay(string WardId, DateTimeOffset Start);

    /// <param name="path">The FHIRPath of the Encounter in the payload (<c>Encounter</c> or <c>Bundle.entry[2].resource</c>).</param>
    /// <param name="fallbackKey">What identifies the resource when it has no id: the Bundle entry's fullUrl or a hash of its content.</param>
    public FhirMapResult Map(Encounter encounter, string path, string fallbackKey, DateTimeOffset appendedAt)
    {
        var status = encounter.Status;
        if (status is null)
        {
            return FhirMapResult.Rejected(RejectionReasons.For(RejectionReasons.MissingField, "status"), "Encounter.status is required", path + ".status");
        }

        if (status is Encounter.EncounterStatus.Planned or Encounter.EncounterStatus.Cancelled
            or Encounter.EncounterStatus.EnteredInError or Encounter.EncounterStatus.Unknown)
        {
            return FhirMapResult.Rejected(RejectionReasons.For(FhirRejectionReasons.UnsupportedStatus, StatusCode(status.Value)),
                $"an Encounter with status {StatusCode(status.Value)} records no movement the census can count", path + ".status");
        }

        if (KindOf(encounter.Class?.Code) is not { } kind)
        {
            var code = encounter.Class?.Code;
            return code is null
                ? FhirMapResult.Rejected(RejectionReasons.For(RejectionReasons.MissingField, "class"), "Encounter.class is required", path + ".class")
                : FhirMapResult.Rejected(RejectionReasons.For(FhirRejectionReasons.UnsupportedClass, code),
                    $"class {code} is not an emergency, inpatient or pre-admission encounter; the engine counts beds", path + ".class");
        }

        var patientId = FhirReferences.IdOf(encounter.Subject, "Patient");
        if (string.IsNullOrWhiteSpace(patientId))
        {
            return FhirMapResult.Rejected(RejectionReasons.For(RejectionReasons.MissingField, "subject"), "Encounter.subject must name the patient", path + ".subject");
        }

        var hospitalId = FhirReferences.IdOf(encounter.ServiceProvider, "Organization") ?? defaultHospitalId;
        if (string.IsNullOrWhiteSpace(hospitalId))
        {
            return FhirMapResult.Rejected(RejectionReasons.For(RejectionReasons.MissingField, "serviceProvider"),
                "Encounter.serviceProvider must name the hospital (no default hospital is configured)", path + ".serviceProvider");
        }

        if (Time(encounter.Period?.Start, path + ".period.start", appendedAt, out var start) is { } badStart)
        {
            return badStart;
        }

        if (Stays(encounter, path, appendedAt, out var stays) is { } badStay)
        {
            return badStay;
        }

        var arrivedAt = start ?? stays.FirstOrDefault()?.Start;
        if (arrivedAt is not { } at)
        {
            return FhirMapResult.Rejected(RejectionReasons.For(RejectionReasons.MissingField, "period.start"),
                "Encounter.period.start (or a location's period.start) is required to place the encounter in time", path + ".period.start");
        }

        if (stays.Count > 0 && stays[0].Start < at)
        {
            return FhirMapResult.Rejected(RejectionReasons.For(RejectionReasons.ImpossibleTime, "location.period.start"),
                "a location's period starts before the encounter's", path + ".location.period.start");
        }

        var encounterKey = encounter.Id ?? fallbackKey;
        var encounterId = FhirReferences.VisitNumberOf(encounter) ?? encounter.Id ?? fallbackKey;
        if ((TooLong(patientId, "subject", path) ?? TooLong(hospitalId, "serviceProvider", path) ?? TooLong(encounterId, "identifier", path)
            ?? stays.Select(s => TooLong(s.WardId, "location", path)).FirstOrDefault(r => r is not null)) is { } tooLong)
        {
            return tooLong;
        }

        if (kind == Kind.Inpatient && stays.Count == 0)
        {
            return FhirMapResult.Rejected(RejectionReasons.For(RejectionReasons.MissingField, "location"),
                "an inpatient Encounter must name the ward it is in (location[] with a status other than planned)", path + ".location");
        }

        var template = new PatientFlowEvent(
            "", PatientFlowEventType.Arrival, at, hospitalId, patientId, encounterId, null, null, null, null, null, null, 1);
        var events = new List<PatientFlowEvent>();
        var admitSource = FhirReferences.CodeOf(encounter.Hospitalization?.AdmitSource);
        var first = kind == Kind.Inpatient ? PatientFlowEventType.Admit : PatientFlowEventType.Arrival;
        events.Add(Step(template, encounterKey, first, at, stays.FirstOrDefault()?.WardId, null, Extension("admit_source", admitSource)));

        var arrivedOnly = status is Encounter.EncounterStatus.Arrived or Encounter.EncounterStatus.Triaged;
        for (var i = 1; i < stays.Count && !arrivedOnly; i++)
        {
            var type = events[^1].EventType == PatientFlowEventType.Arrival ? PatientFlowEventType.Admit : PatientFlowEventType.Transfer;
            events.Add(Step(template, encounterKey, type, stays[i].Start, stays[i].WardId, stays[i - 1].WardId, null));
        }

        if (status == Encounter.EncounterStatus.Finished)
        {
            if (Time(encounter.Period?.End, path + ".period.end", appendedAt, out var end) is { } badEnd)
            {
                return badEnd;
            }

            if (end is not { } endedAt)
            {
                return FhirMapResult.Rejected(RejectionReasons.For(RejectionReasons.MissingField, "period.end"),
                    "a finished Encounter must say when it ended (period.end)", path + ".period.end");
            }

            if (endedAt < events[^1].OccurredAt)
            {
                return FhirMapResult.Rejected(RejectionReasons.For(RejectionReasons.ImpossibleTime, "period.end"),
                    "period.end is before the encounter's last movement", path + ".period.end");
            }

            var disposition = FhirReferences.CodeOf(encounter.Hospitalization?.DischargeDisposition);
            events.Add(Step(template, encounterKey, PatientFlowEventType.Discharge, endedAt, events[^1].WardId, null, Extension("discharge_disposition", disposition)));
        }

        return FhirMapResult.Accepted(events);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\[\d+\]")]
    private static partial System.Text.RegularExpressions.Regex IndexPattern();

    private static Kind? KindOf(string? classCode) => classCode?.Trim().ToUpperInvariant() switch
    {
        "EMER" => Kind.Emergency,
        "IMP" or "ACUTE" or "NONAC" or "SS" or "OBSENC" => Kind.Inpatient,
        "PRENC" => Kind.PreAdmission,
        _ => null,
    };

    /// <summary>
    /// The locations the patient has been in or is in, in time order. Planned and reserved ones have not happened.
    /// Without any period the history cannot be ordered, so only the current (active, else last) location counts.
    /// </summary>
    private FhirMapResult? Stays(Encounter encounter, string path, DateTimeOffset appendedAt, out List<Stay> stays)
    {
        stays = [];
        var happened = encounter.Location
            .Select((location, index) => (location, index))
            .Where(l => l.location.Status is not (Encounter.EncounterLocationStatus.Planned or Encounter.EncounterLocationStatus.Reserved))
            .ToList();
        var undated = new List<(string WardId, bool Active)>();
        foreach (var (location, index) in happened)
        {
            var at = $"{path}.location[{index}]";
            var wardId = FhirReferences.IdOf(location.Location, "Location");
            if (string.IsNullOrWhiteSpace(wardId))
            {
                return FhirMapResult.Rejected(RejectionReasons.For(RejectionReasons.MissingField, "location.location"), "a location entry must reference its Location", at + ".location");
            }

            if (Time(location.Period?.Start, at + ".period.start", appendedAt, out var start) is { } bad)
            {
                return bad;
            }

            if (start is { } s)
            {
                stays.Add(new Stay(wardId, s));
            }
            else
            {
                undated.Add((wardId, location.Status == Encounter.EncounterLocationStatus.Active));
            }
        }

        stays.Sort((a, b) => a.Start.CompareTo(b.Start));
        if (stays.Count == 0 && undated.Count > 0 && Time(encounter.Period?.Start, path + ".period.start", appendedAt, out var encounterStart) is null && encounterStart is { } from)
        {
            var current = undated.LastOrDefault(u => u.Active);
            stays.Add(new Stay(current.WardId ?? undated[^1].WardId, from));
        }

        return null;
    }

    private FhirMapResult? Time(string? text, string path, DateTimeOffset appendedAt, out DateTimeOffset? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var field = FieldOf(path);
        if (!IsoTimestamp.TryParse(text, requireOffset: true, out var parsed) || parsed < limits.EarliestOccurredAt)
        {
            return FhirMapResult.Rejected(RejectionReasons.For(RejectionReasons.BadTimestamp, field),
                $"{text} is not a dateTime to the second with a time zone", path);
        }

        if (parsed > appendedAt + limits.MaxClockSkew)
        {
            return FhirMapResult.Rejected(RejectionReasons.For(RejectionReasons.FutureTimestamp, field),
                $"{text} is {(parsed - appendedAt).TotalMinutes:0} minutes after the message was received", path);
        }

        value = parsed;
        return null;
    }

    private FhirMapResult? TooLong(string value, string field, string path) =>
        value.Length > limits.MaxFieldLength
            ? FhirMapResult.Rejected(RejectionReasons.For(RejectionReasons.FieldTooLong, field), $"{field} is {value.Length} characters, limit {limits.MaxFieldLength}", path + "." + field)
            : null;

    /// <summary>
    /// Derived from the resource and the step, not from the resource version: a re-sent or updated Encounter
    /// yields the same ids for the movements it already recorded, so only new movements are new events.
    /// </summary>
    private static PatientFlowEvent Step(PatientFlowEvent template, string encounterKey, PatientFlowEventType type,
        DateTimeOffset at, string? wardId, string? fromWardId, Dictionary<string, string>? extensions)
    {
        var step = string.Create(CultureInfo.InvariantCulture, $"{encounterKey}|{type.ToWireName()}|{at.UtcTicks}|{wardId}");
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(step)).AsSpan(0, 12));
        return template with
        {
            EventId = $"fhir-{hash}",
            EventType = type,
            OccurredAt = at,
            WardId = wardId,
            FromWardId = fromWardId,
            Extensions = extensions,
        };
    }

    private static Dictionary<string, string>? Extension(string name, string? value) =>
        value is null ? null : new Dictionary<string, string>(StringComparer.Ordinal) { [name] = JsonSerializer.Serialize(value, FhirJsonStrings.Default.String) };

    private static string StatusCode(Encounter.EncounterStatus status) => status switch
    {
        Encounter.EncounterStatus.EnteredInError => "entered-in-error",
        Encounter.EncounterStatus.InProgress => "in-progress",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static string FieldOf(string path)
    {
        var resource = path.LastIndexOf(".resource.", StringComparison.Ordinal);
        var field = resource >= 0 ? path[(resource + ".resource.".Length)..]
            : path.StartsWith("Encounter.", StringComparison.Ordinal) ? path["Encounter.".Length..] : path;
        return IndexPattern().Replace(field, "");
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class FhirJsonStrings : System.Text.Json.Serialization.JsonSerializerContext;
