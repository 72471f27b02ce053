using System.Security.Cryptography;
using System.Text.Json;
using HealthcareOrleans.Contracts.Events;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace HealthcareOrleans.Contracts.Fhir;

/// <summary>
/// FHIR R4 JSON (an Encounter, or a transaction, batch or collection Bundle of them) to patient-flow events. Pure:
/// the result depends only on the bytes and the append time, so Silver rebuilt from Bronze makes the same decisions.
/// A Bundle is mapped whole or refused whole, naming the entry at fault; entries that are not Encounters are skipped.
/// </summary>
public sealed class FhirEncounterMapper(DecodeLimits limits, string? defaultHospitalId = null)
{
    // The SDK's strict mode: an unknown element, a wrong type or a bad code is an error, not a silent drop.
    private static readonly FhirJsonDeserializer Deserializer = new(new DeserializerSettings());

    private readonly EncounterFlow _flow = new(limits, defaultHospitalId);

    /// <summary>One mapped Encounter of a payload, with its patient and where it sits (<c>Bundle.entry[2]</c>).</summary>
    public sealed record MappedEncounter(string PatientId, string Path, IReadOnlyList<PatientFlowEvent> Events);

    /// <summary>A payload's Encounters mapped, or the first problem found; the parsed resource for who splits it.</summary>
    public sealed record MappedPayload(Resource? Resource, IReadOnlyList<MappedEncounter> Encounters, FhirMapResult? Rejection);

    /// <summary>Maps a topic message: its events must belong to one patient, since the message is keyed by that patient.</summary>
    public FhirMapResult Map(ReadOnlySpan<byte> utf8Json, DateTimeOffset appendedAt)
    {
        var (_, encounters, rejection) = MapEach(utf8Json, appendedAt);
        if (rejection is not null)
        {
            return rejection;
        }

        if (encounters.Select(e => e.PatientId).Distinct(StringComparer.Ordinal).Skip(1).Any())
        {
            return FhirMapResult.Rejected(FhirRejectionReasons.SeveralPatients,
                "a message on the topic is keyed by one patient; send one Bundle per patient (POST /fhir/r4 splits a Bundle by patient)", "Bundle.entry");
        }

        return FhirMapResult.Accepted(encounters.SelectMany(e => e.Events).OrderBy(e => e.OccurredAt).ToList());
    }

    /// <summary>Every Encounter of the payload mapped, or the first problem found.</summary>
    public MappedPayload MapEach(ReadOnlySpan<byte> utf8Json, DateTimeOffset appendedAt)
    {
        if (Parse(utf8Json) is not { } parsed)
        {
            return new MappedPayload(null, [], ParseProblem(utf8Json));
        }

        switch (parsed)
        {
            case Encounter encounter:
                var single = _flow.Map(encounter, "Encounter", ContentKey(utf8Json), appendedAt);
                return single.IsAccepted
                    ? new MappedPayload(parsed, [new MappedEncounter(single.Events[0].PatientId, "Encounter", single.Events)], null)
                    : new MappedPayload(parsed, [], single);
            case Bundle bundle:
                var (encounters, rejection) = MapBundle(bundle, appendedAt);
                return new MappedPayload(parsed, encounters, rejection);
            default:
                return new MappedPayload(parsed, [], FhirMapResult.Rejected(RejectionReasons.For(FhirRejectionReasons.UnsupportedResource, parsed.TypeName),
                    $"a {parsed.TypeName} carries no patient movement; send an Encounter or a Bundle of Encounters", parsed.TypeName));
        }
    }

    private (IReadOnlyList<MappedEncounter>, FhirMapResult?) MapBundle(Bundle bundle, DateTimeOffset appendedAt)
    {
        if (bundle.Type is not (Bundle.BundleType.Transaction or Bundle.BundleType.Batch or Bundle.BundleType.Collection))
        {
            var type = bundle.TypeElement?.JsonValue as string ?? "none";
            return ([], FhirMapResult.Rejected(RejectionReasons.For(FhirRejectionReasons.UnsupportedBundleType, type),
                "a Bundle must be of type transaction, batch or collection", "Bundle.type"));
        }

        var mapped = new List<MappedEncounter>();
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var entry = bundle.Entry[i];
            if (entry.Resource is not Encounter encounter)
            {
                continue;
            }

            var path = $"Bundle.entry[{i}]";
            if (entry.Request?.Method is Bundle.HTTPVerb.DELETE or Bundle.HTTPVerb.PATCH)
            {
                return ([], FhirMapResult.Rejected(RejectionReasons.For(FhirRejectionReasons.UnsupportedRequest, entry.Request.Method.ToString()!),
                    "an Encounter entry must carry the whole resource (POST or PUT); a delete or patch records no movement", path + ".request.method"));
            }

            var fallbackKey = entry.FullUrl ?? ContentKey(encounter);
            var result = _flow.Map(encounter, path + ".resource", fallbackKey, appendedAt);
            if (!result.IsAccepted)
            {
                return ([], result);
            }

            mapped.Add(new MappedEncounter(result.Events[0].PatientId, path, result.Events));
        }

        return mapped.Count == 0
            ? ([], FhirMapResult.Rejected(FhirRejectionReasons.NoEncounter, "the Bundle holds no Encounter", "Bundle.entry"))
            : (mapped, null);
    }

    private static Resource? Parse(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 64 });
            return Deserializer.TryDeserializeResource(ref reader, out var resource, out var issues) && !issues.Any() ? resource : null;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Parses again to say what is wrong: the rare refused payload pays for the detail, accepted ones do not.</summary>
    private static FhirMapResult ParseProblem(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 64 });
            Deserializer.TryDeserializeResource(ref reader, out _, out var issues);
            var first = issues.FirstOrDefault();
            return FhirMapResult.Rejected(FhirRejectionReasons.InvalidResource, first?.Message ?? "the payload is not a FHIR R4 resource", null);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            return FhirMapResult.Rejected(FhirRejectionReasons.InvalidResource, "the payload is not valid JSON: " + ex.Message, null);
        }
    }

    private static string ContentKey(ReadOnlySpan<byte> utf8Json) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(utf8Json));

    private static string ContentKey(Encounter encounter) => ContentKey(System.Text.Encoding.UTF8.GetBytes(encounter.ToJson()));
}
