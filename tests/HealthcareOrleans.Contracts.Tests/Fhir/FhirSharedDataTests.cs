using System.Text;
using System.Text.Json;
using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Fhir;
using HealthcareOrleans.Contracts.Tests.Support;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Xunit.Abstractions;

namespace HealthcareOrleans.Contracts.Tests.Fhir;

/// <summary>
/// Every Encounter of the shared FHIR data (Synthea's bulk export and Microsoft's converter output) maps to events or
/// is refused with an OperationOutcome. The expected split comes from reading the raw JSON here, not from the mapper.
/// </summary>
public sealed class FhirSharedDataTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset ReceivedAt = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    // The converter's Encounters name no service provider; a one-hospital deployment configures its hospital.
    private readonly FhirEncounterMapper _mapper = new(DecodeLimits.Default, defaultHospitalId: "HOSP");

    public static IEnumerable<(string Source, string Json)> AllEncounters()
    {
        foreach (var line in File.ReadLines(Path.Combine(SharedData.Folder("fhir-r4"), "synthea-10-patients", "Encounter.000.ndjson")))
        {
            if (line.Length > 0)
            {
                yield return ("synthea", line);
            }
        }

        foreach (var file in Directory.GetFiles(Path.Combine(SharedData.Folder("fhir-r4"), "microsoft-converter-expected", "encounters"), "*.json").Order(StringComparer.Ordinal))
        {
            yield return (Path.GetFileName(file), File.ReadAllText(file));
        }
    }

    [Fact]
    public void Every_shared_encounter_maps_or_is_refused_with_an_operation_outcome()
    {
        var all = AllEncounters().ToList();
        Assert.Equal(1_215 + 51, all.Count);
        var mapped = 0;
        var refusedByReason = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (source, json) in all)
        {
            var result = _mapper.Map(Encoding.UTF8.GetBytes(json), ReceivedAt);
            if (result.IsAccepted)
            {
                mapped++;
                Assert.NotEmpty(result.Events);
                Assert.All(result.Events, e => Assert.False(string.IsNullOrWhiteSpace(e.PatientId)));
                Assert.True(result.Events.Zip(result.Events.Skip(1)).All(p => p.First.OccurredAt <= p.Second.OccurredAt), source);
                continue;
            }

            var outcome = new FhirJsonDeserializer().Deserialize<OperationOutcome>(FhirOutcomes.ToJson(FhirOutcomes.Refusal(result)));
            var issue = Assert.Single(outcome.Issue);
            Assert.Equal(OperationOutcome.IssueSeverity.Error, issue.Severity);
            Assert.False(string.IsNullOrWhiteSpace(issue.Diagnostics), source);
            if (!result.RejectionReason!.StartsWith(FhirRejectionReasons.UnsupportedClass, StringComparison.Ordinal))
            {
                output.WriteLine($"{source}: {result.RejectionReason} ({result.Detail})");
            }

            var code = RejectionReasons.CodeOf(result.RejectionReason!) + ":" + result.RejectionReason!.Split(':').ElementAtOrDefault(1);
            refusedByReason[code] = refusedByReason.GetValueOrDefault(code) + 1;
        }

        output.WriteLine($"mapped {mapped}, refused {all.Count - mapped}: {string.Join(", ", refusedByReason.Select(r => $"{r.Key} {r.Value}"))}");
        Assert.Equal(all.Count, mapped + refusedByReason.Values.Sum());

        // The oracle: classes and statuses read straight from the JSON. Ambulatory visits hold no bed; planned,
        // cancelled and unknown Encounters record no movement; everything else must map.
        // One converter output is not valid FHIR: identifier.system "urn:oid:r2.3" is no OID (the sample's assigning
        // authority copied as is), and the SDK refuses it.
        var invalid = all.Where(e => e.Json.Contains("\"urn:oid:r2.3\"", StringComparison.Ordinal)).ToList();
        Assert.Equal("ADT-A31-02__4b192760.json", Assert.Single(invalid).Source);
        Assert.Equal(1, refusedByReason.GetValueOrDefault(FhirRejectionReasons.InvalidResource + ":"));

        var expectedRefusedClass = 0;
        var expectedRefusedStatus = 0;
        var expectedUndated = 0;
        foreach (var (_, json) in all.Except(invalid))
        {
            using var document = JsonDocument.Parse(json);
            var status = document.RootElement.GetProperty("status").GetString();
            var classCode = document.RootElement.GetProperty("class").GetProperty("code").GetString();
            if (status is "planned" or "cancelled" or "entered-in-error" or "unknown")
            {
                expectedRefusedStatus++;
            }
            else if (classCode is not ("EMER" or "IMP" or "ACUTE" or "NONAC" or "SS" or "OBSENC" or "PRENC"))
            {
                expectedRefusedClass++;
            }
            else if (!document.RootElement.TryGetProperty("period", out var period) || !period.TryGetProperty("start", out _))
            {
                expectedUndated++;
            }
        }

        Assert.Equal(expectedRefusedClass, refusedByReason.Where(r => r.Key.StartsWith("unsupported_class:", StringComparison.Ordinal)).Sum(r => r.Value));
        Assert.Equal(expectedRefusedStatus, refusedByReason.Where(r => r.Key.StartsWith("unsupported_status:", StringComparison.Ordinal)).Sum(r => r.Value));
        Assert.Equal(expectedUndated, refusedByReason.GetValueOrDefault("missing_field:period.start"));
        Assert.Equal(all.Count - invalid.Count - expectedRefusedClass - expectedRefusedStatus - expectedUndated, mapped);
    }

    [Fact]
    public void Synthea_inpatient_stays_keep_their_period_to_the_second()
    {
        var inpatient = 0;
        foreach (var (_, json) in AllEncounters().Where(e => e.Source == "synthea"))
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.GetProperty("class").GetProperty("code").GetString() != "IMP")
            {
                continue;
            }

            inpatient++;
            var events = _mapper.Map(Encoding.UTF8.GetBytes(json), ReceivedAt).Events;
            var period = root.GetProperty("period");
            Assert.Equal(PatientFlowEventType.Admit, events[0].EventType);
            Assert.Equal(DateTimeOffset.Parse(period.GetProperty("start").GetString()!, System.Globalization.CultureInfo.InvariantCulture), events[0].OccurredAt);
            Assert.Equal(PatientFlowEventType.Discharge, events[^1].EventType);
            Assert.Equal(DateTimeOffset.Parse(period.GetProperty("end").GetString()!, System.Globalization.CultureInfo.InvariantCulture), events[^1].OccurredAt);
            Assert.Equal(root.GetProperty("subject").GetProperty("reference").GetString(), "Patient/" + events[0].PatientId);
            Assert.Equal(root.GetProperty("id").GetString(), events[0].EncounterId);
        }

        Assert.Equal(49, inpatient);
    }
}
