using System.Text;
using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Fhir;

namespace HealthcareOrleans.Contracts.Tests.Fhir;

/// <summary>The mapping table of the README, row by row, on Encounters written by hand from the FHIR R4 spec.</summary>
public sealed class FhirEncounterMappingTests
{
    private static readonly DateTimeOffset ReceivedAt = new(2026, 3, 10, 0, 0, 0, TimeSpan.Zero);
    private readonly FhirEncounterMapper _mapper = new(DecodeLimits.Default);

    private static string Encounter(string status, string classCode, string period, string locations, string id = "enc-1", string patient = "Patient/p-1") => $$$"""
        {"resourceType":"Encounter","id":"{{{id}}}","status":"{{{status}}}",
         "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"{{{classCode}}}"},
         "identifier":[{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"VN"}]},"value":"V100"}],
         "subject":{"reference":"{{{patient}}}"},"serviceProvider":{"reference":"Organization/RGH"},
         "period":{{{period}}},"location":[{{{locations}}}],
         "hospitalization":{"admitSource":{"coding":[{"code":"emd"}]},"dischargeDisposition":{"coding":[{"code":"home"}] } } }
        """;

    private const string IcuThenMed = """
        {"location":{"reference":"Location/RGH-MED2"},"status":"completed","period":{"start":"2026-03-02T14:00:00+01:00","end":"2026-03-05T09:30:00+01:00"}},
        {"location":{"reference":"Location/RGH-ICU"},"status":"completed","period":{"start":"2026-03-01T08:15:00+01:00","end":"2026-03-02T14:00:00+01:00"}},
        {"location":{"reference":"Location/RGH-GER"},"status":"planned"}
        """;

    private FhirMapResult Map(string json) => _mapper.Map(Encoding.UTF8.GetBytes(json), ReceivedAt);

    [Fact]
    public void Finished_inpatient_stay_is_an_admit_a_transfer_per_later_location_and_a_discharge()
    {
        var result = Map(Encounter("finished", "IMP", """{"start":"2026-03-01T08:15:00+01:00","end":"2026-03-05T09:30:00+01:00"}""", IcuThenMed));

        Assert.True(result.IsAccepted, result.Detail);
        Assert.Collection(result.Events,
            e => Assert.Equal((PatientFlowEventType.Admit, "RGH-ICU", (string?)null, new DateTimeOffset(2026, 3, 1, 8, 15, 0, TimeSpan.FromHours(1))), (e.EventType, e.WardId, e.FromWardId, e.OccurredAt)),
            e => Assert.Equal((PatientFlowEventType.Transfer, "RGH-MED2", (string?)"RGH-ICU", new DateTimeOffset(2026, 3, 2, 14, 0, 0, TimeSpan.FromHours(1))), (e.EventType, e.WardId, e.FromWardId, e.OccurredAt)),
            e => Assert.Equal((PatientFlowEventType.Discharge, "RGH-MED2", (string?)null, new DateTimeOffset(2026, 3, 5, 9, 30, 0, TimeSpan.FromHours(1))), (e.EventType, e.WardId, e.FromWardId, e.OccurredAt)));
        Assert.All(result.Events, e => Assert.Equal(("p-1", "RGH", "V100"), (e.PatientId, e.HospitalId, e.EncounterId)));
        Assert.Equal("\"emd\"", result.Events[0].Extensions!["admit_source"]);
        Assert.Equal("\"home\"", result.Events[^1].Extensions!["discharge_disposition"]);
        Assert.Equal(3, result.Events.Select(e => e.EventId).Distinct().Count());
    }

    [Fact]
    public void Emergency_visit_arrives_in_the_ed_and_is_admitted_when_it_moves_to_a_ward()
    {
        var result = Map(Encounter("in-progress", "EMER", """{"start":"2026-03-01T07:00:00Z"}""", """
            {"location":{"reference":"Location/RGH-ED"},"status":"completed","period":{"start":"2026-03-01T07:00:00Z"}},
            {"location":{"reference":"Location/RGH-AMU"},"status":"active","period":{"start":"2026-03-01T11:40:00Z"}}
            """));

        Assert.Equal([PatientFlowEventType.Arrival, PatientFlowEventType.Admit], result.Events.Select(e => e.EventType));
        Assert.Equal(["RGH-ED", "RGH-AMU"], result.Events.Select(e => e.WardId));
    }

    [Fact]
    public void Emergency_visit_that_ends_in_the_ed_is_an_arrival_and_a_discharge_from_the_ed()
    {
        var result = Map(Encounter("finished", "EMER", """{"start":"2026-03-01T07:00:00Z","end":"2026-03-01T10:00:00Z"}""",
            """{"location":{"reference":"Location/RGH-ED"},"status":"completed"}"""));

        Assert.Equal([PatientFlowEventType.Arrival, PatientFlowEventType.Discharge], result.Events.Select(e => e.EventType));
        Assert.Equal(["RGH-ED", "RGH-ED"], result.Events.Select(e => e.WardId));
    }

    [Fact]
    public void Resending_an_updated_encounter_gives_the_movements_it_already_recorded_the_same_event_ids()
    {
        var first = Map(Encounter("in-progress", "IMP", """{"start":"2026-03-01T08:15:00+01:00"}""",
            """{"location":{"reference":"Location/RGH-ICU"},"status":"active","period":{"start":"2026-03-01T08:15:00+01:00"}}"""));
        var updated = Map(Encounter("finished", "IMP", """{"start":"2026-03-01T08:15:00+01:00","end":"2026-03-05T09:30:00+01:00"}""", IcuThenMed)
            .Replace("\"id\":\"enc-1\"", "\"id\":\"enc-1\",\"meta\":{\"versionId\":\"2\"}", StringComparison.Ordinal));

        Assert.Equal(first.Events[0].EventId, updated.Events[0].EventId);
        Assert.Equal(3, updated.Events.Select(e => e.EventId).Except(first.Events.Select(e => e.EventId)).Count() + 1);
    }

    [Fact]
    public void A_bundle_of_several_patients_is_refused_on_the_topic_and_split_by_patient_for_http()
    {
        var first = Encounter("in-progress", "IMP", """{"start":"2026-03-01T08:15:00Z"}""", """{"location":{"reference":"Location/RGH-ICU"}}""", "a", "Patient/p-1");
        var second = Encounter("in-progress", "IMP", """{"start":"2026-03-01T09:15:00Z"}""", """{"location":{"reference":"Location/RGH-CAR"}}""", "b", "Patient/p-2");
        var bundle = $$"""
            {"resourceType":"Bundle","type":"transaction","entry":[
              {"fullUrl":"urn:uuid:6f1c2b1e-0d5a-4a57-9b8e-0c7c8f6a0001","resource":{{first}},"request":{"method":"PUT","url":"Encounter/a"} },
              {"fullUrl":"urn:uuid:6f1c2b1e-0d5a-4a57-9b8e-0c7c8f6a0002","resource":{"resourceType":"Patient","id":"p-2"},"request":{"method":"PUT","url":"Patient/p-2"} },
              {"fullUrl":"urn:uuid:6f1c2b1e-0d5a-4a57-9b8e-0c7c8f6a0003","resource":{{second}},"request":{"method":"PUT","url":"Encounter/b"} }]}
            """;

        Assert.Equal(FhirRejectionReasons.SeveralPatients, Map(bundle).RejectionReason);
        var (_, encounters, rejection) = _mapper.MapEach(Encoding.UTF8.GetBytes(bundle), ReceivedAt);
        Assert.Null(rejection);
        Assert.Equal(["p-1", "p-2"], encounters.Select(e => e.PatientId));
        Assert.Equal(["Bundle.entry[0]", "Bundle.entry[2]"], encounters.Select(e => e.Path));
        Assert.Equal(["RGH-ICU", "RGH-CAR"], encounters.Select(e => e.Events.Single().WardId));
    }

    [Theory]
    [InlineData("""{"resourceType":"Encounter","status":"finished""", "invalid_fhir", null)]
    [InlineData("""{"resourceType":"Encounter","status":"finished","bedside":"x"}""", "invalid_fhir", null)]
    [InlineData("""{"resourceType":"Encounter","status":"walking"}""", "invalid_fhir", null)]
    [InlineData("""{"resourceType":"Patient","id":"p-1"}""", "unsupported_resource:Patient", "Patient")]
    [InlineData("""{"resourceType":"Bundle","type":"searchset"}""", "unsupported_bundle_type:searchset", "Bundle.type")]
    [InlineData("""{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"p"}}]}""", "no_encounter", "Bundle.entry")]
    [InlineData("""{"resourceType":"Encounter","status":"planned","class":{"code":"IMP"}}""", "unsupported_status:planned", "Encounter.status")]
    [InlineData("""{"resourceType":"Encounter","status":"finished","class":{"code":"AMB"},"subject":{"reference":"Patient/p"}}""", "unsupported_class:AMB", "Encounter.class")]
    [InlineData("""{"resourceType":"Encounter","status":"arrived","class":{"code":"EMER"},"serviceProvider":{"reference":"Organization/RGH"}}""", "missing_field:subject", "Encounter.subject")]
    [InlineData("""{"resourceType":"Encounter","status":"arrived","class":{"code":"EMER"},"subject":{"reference":"Patient/p"}}""", "missing_field:serviceProvider", "Encounter.serviceProvider")]
    [InlineData("""{"resourceType":"Encounter","status":"arrived","class":{"code":"EMER"},"subject":{"reference":"Patient/p"},"serviceProvider":{"reference":"Organization/RGH"},"period":{"start":"2026-03-01"}}""", "bad_timestamp:period.start", "Encounter.period.start")]
    [InlineData("""{"resourceType":"Encounter","status":"arrived","class":{"code":"EMER"},"subject":{"reference":"Patient/p"},"serviceProvider":{"reference":"Organization/RGH"},"period":{"start":"2027-03-01T00:00:00Z"}}""", "future_timestamp:period.start", "Encounter.period.start")]
    [InlineData("""{"resourceType":"Encounter","status":"in-progress","class":{"code":"IMP"},"subject":{"reference":"Patient/p"},"serviceProvider":{"reference":"Organization/RGH"},"period":{"start":"2026-03-01T00:00:00Z"}}""", "missing_field:location", "Encounter.location")]
    [InlineData("""{"resourceType":"Encounter","status":"finished","class":{"code":"EMER"},"subject":{"reference":"Patient/p"},"serviceProvider":{"reference":"Organization/RGH"},"period":{"start":"2026-03-01T00:00:00Z"}}""", "missing_field:period.end", "Encounter.period.end")]
    [InlineData("""{"resourceType":"Encounter","status":"finished","class":{"code":"EMER"},"subject":{"reference":"Patient/p"},"serviceProvider":{"reference":"Organization/RGH"},"period":{"start":"2026-03-01T10:00:00Z","end":"2026-03-01T09:00:00Z"}}""", "impossible_time:period.end", "Encounter.period.end")]
    public void Invalid_input_is_refused_with_a_reason_and_the_element_at_fault(string json, string reason, string? expression)
    {
        var result = Map(json);

        Assert.False(result.IsAccepted);
        Assert.Equal(reason, result.RejectionReason);
        Assert.Equal(expression, result.Expression);
        var issue = Assert.Single(FhirOutcomes.Refusal(result).Issue);
        Assert.False(string.IsNullOrWhiteSpace(issue.Diagnostics));
    }
}
