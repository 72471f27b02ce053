using System.Globalization;
using System.Text;
using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Fhir;
using HealthcareOrleans.PatientFlow.Silver;
using HealthcareOrleans.Silo.Ingestion;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Task = System.Threading.Tasks.Task;

namespace HealthcareOrleans.Silo.Fhir;

/// <summary>What the FHIR endpoint answers: an HTTP status and the OperationOutcome that explains it.</summary>
public sealed record FhirIntakeAnswer(int Status, OperationOutcome Outcome);

/// <summary>
/// FHIR R4 Encounters over HTTP onto the patient-flow topic. A payload is checked as the topic will decode it (the
/// intake decoder, then Silver's layout rules), so what is accepted here is what Silver applies. The topic is keyed by
/// patient: a Bundle of one patient goes on as sent, a Bundle of several is split into one Bundle per patient (the
/// entries that are not Encounters carry no movement and are left out). The answer comes only after the broker
/// confirmed every message; a re-sent payload after a failure is deduplicated by event id.
/// </summary>
public sealed partial class FhirIntake(PatientFlowDecoder decoder, SilverCleansing cleansing, IBrokerIngress ingress, TimeProvider clock, ILogger<FhirIntake> logger)
{
    private readonly FhirEncounterMapper _mapper = new(decoder.Limits);

    public enum Expected { Encounter, Bundle }

    public async Task<FhirIntakeAnswer> AcceptAsync(byte[] body, Expected expected, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var mapped = _mapper.MapEach(body, now);
        if (expected == Expected.Encounter && mapped.Resource is not (null or Encounter))
        {
            return Refuse(StatusCodes.Status400BadRequest, RejectionReasons.For(FhirRejectionReasons.UnsupportedResource, mapped.Resource!.TypeName),
                "POST /fhir/r4/Encounter takes an Encounter; send a Bundle to POST /fhir/r4", mapped.Resource.TypeName);
        }

        if (expected == Expected.Bundle && mapped.Resource is not (null or Bundle))
        {
            return Refuse(StatusCodes.Status400BadRequest, RejectionReasons.For(FhirRejectionReasons.UnsupportedResource, mapped.Resource!.TypeName),
                "POST /fhir/r4 takes a Bundle (transaction, batch or collection); send a single Encounter to POST /fhir/r4/Encounter", mapped.Resource.TypeName);
        }

        if (mapped.Rejection is { } rejected)
        {
            return Refuse(FhirOutcomes.IsStructural(rejected.RejectionReason!) ? StatusCodes.Status400BadRequest : StatusCodes.Status422UnprocessableEntity,
                rejected.RejectionReason!, rejected.Detail!, rejected.Expression);
        }

        var messages = Messages(body, mapped);
        foreach (var (patientId, payload, path) in messages)
        {
            if (Check(patientId, payload, path, now) is { } problem)
            {
                return problem;
            }
        }

        try
        {
            await Task.WhenAll(messages.Select(m => ingress.ProduceAsync(m.PatientId, m.Payload, cancellationToken)));
        }
        catch (BrokerDeliveryException ex)
        {
            LogNotDelivered(logger, ex.Message);
            return new FhirIntakeAnswer(StatusCodes.Status503ServiceUnavailable, Outcome(OperationOutcome.IssueSeverity.Error, OperationOutcome.IssueType.Transient,
                "not_delivered", $"the broker did not take every message ({ex.Message}); send the same payload again (already stored movements are recognised)", null));
        }

        var events = mapped.Encounters.Sum(e => e.Events.Count);
        var patients = messages.Count;
        var skipped = mapped.Resource is Bundle bundle ? bundle.Entry.Count - mapped.Encounters.Count : 0;
        var stored = string.Create(CultureInfo.InvariantCulture,
            $"{mapped.Encounters.Count} Encounter(s) of {patients} patient(s) stored as {events} movement(s) on the patient-flow topic");
        var left = skipped > 0 ? string.Create(CultureInfo.InvariantCulture, $"; {skipped} entries that are not Encounters carry no movement and were not stored") : "";
        return new FhirIntakeAnswer(StatusCodes.Status200OK,
            Outcome(OperationOutcome.IssueSeverity.Information, OperationOutcome.IssueType.Informational, "accepted", stored + left, null));
    }

    /// <summary>The topic messages: the payload as sent when it holds one patient, else one Bundle per patient.</summary>
    private static List<(string PatientId, byte[] Payload, string Path)> Messages(byte[] body, FhirEncounterMapper.MappedPayload mapped)
    {
        var byPatient = mapped.Encounters.GroupBy(e => e.PatientId, StringComparer.Ordinal).ToList();
        if (byPatient.Count == 1 || mapped.Resource is not Bundle bundle)
        {
            return [(byPatient[0].Key, body, mapped.Encounters[0].Path)];
        }

        return byPatient.Select(group =>
        {
            var entries = group.Select(e => bundle.Entry[EntryIndex(e.Path)]).ToList();
            var split = new Bundle { Type = bundle.Type, Entry = entries };
            return (group.Key, Encoding.UTF8.GetBytes(split.ToJson()), group.First().Path);
        }).ToList();
    }

    /// <summary>What the topic will decide about a message: the intake decoder on these bytes, then Silver's layout checks.</summary>
    private FhirIntakeAnswer? Check(string patientId, byte[] payload, string path, DateTimeOffset now)
    {
        if (payload.Length > decoder.Limits.MaxPayloadBytes)
        {
            return Refuse(StatusCodes.Status413PayloadTooLarge, RejectionReasons.Oversize,
                $"the Encounters of one patient take {payload.Length} bytes, limit {decoder.Limits.MaxPayloadBytes}; send them in smaller Bundles", path);
        }

        var decoded = decoder.Decode(payload, now);
        if (!decoded.IsAccepted)
        {
            return Refuse(StatusCodes.Status422UnprocessableEntity, decoded.RejectionReason!, decoded.Detail!, path);
        }

        foreach (var evt in decoded.Events)
        {
            var cleansed = cleansing.Cleanse(evt, patientId, new BrokerPosition(0, 0, 0));
            if (cleansed.RejectionReason is { } reason)
            {
                return Refuse(StatusCodes.Status422UnprocessableEntity, reason, $"{cleansed.Detail} ({evt.EventType.ToWireName()} of encounter {evt.EncounterId})", path);
            }
        }

        return null;
    }

    private FhirIntakeAnswer Refuse(int status, string reason, string detail, string? expression)
    {
        LogRefused(logger, status, reason);
        return new FhirIntakeAnswer(status, FhirOutcomes.Refusal(reason, detail, expression));
    }

    private static OperationOutcome Outcome(OperationOutcome.IssueSeverity severity, OperationOutcome.IssueType type, string code, string diagnostics, string? expression) =>
        new()
        {
            Issue =
            [
                new OperationOutcome.IssueComponent
                {
                    Severity = severity, Code = type, Details = new CodeableConcept { Text = code }, Diagnostics = diagnostics,
                    Expression = expression is null ? [] : [expression],
                },
            ],
        };

    private static int EntryIndex(string path) =>
        int.Parse(path.AsSpan("Bundle.entry[".Length, path.IndexOf(']', StringComparison.Ordinal) - "Bundle.entry[".Length), CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "FHIR payload refused with HTTP {Status}: {Reason}")]
    private static partial void LogRefused(ILogger logger, int status, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "FHIR payload not delivered to the broker: {Problem}")]
    private static partial void LogNotDelivered(ILogger logger, string problem);
}
