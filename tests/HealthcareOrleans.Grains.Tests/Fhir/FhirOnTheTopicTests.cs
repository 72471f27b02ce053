using System.Text;
using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Fhir;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Grains.Tests.Support;
using HealthcareOrleans.Medallion.SilverLake;

namespace HealthcareOrleans.Grains.Tests.Fhir;

/// <summary>A FHIR Encounter produced to the topic as it is: Bronze keeps its bytes, Silver gets its movements tagged fhir-r4.</summary>
public sealed class FhirOnTheTopicTests
{
    private static readonly DateTime AppendedAtUtc = new(2025, 3, 6, 0, 0, 0, DateTimeKind.Utc);

    private static SilverRecordTransformer NewTransformer()
    {
        var decoder = FhirPayloadDecoder.Intake(DecodeLimits.Default);
        return new(decoder, BronzeLake.Intake(decoder: decoder));
    }

    private const string Stay = """
        {"resourceType":"Encounter","id":"enc-7","status":"finished","class":{"code":"IMP"},
         "subject":{"reference":"Patient/P-7"},"serviceProvider":{"reference":"Organization/RGH"},
         "period":{"start":"2025-03-01T08:00:00Z","end":"2025-03-04T12:00:00Z"},
         "location":[{"location":{"reference":"Location/RGH-ICU"},"status":"completed","period":{"start":"2025-03-01T08:00:00Z"}},
                     {"location":{"reference":"Location/RGH-CAR"},"status":"completed","period":{"start":"2025-03-02T10:00:00Z"}}]}
        """;

    private static (List<SilverEventRow> Accepted, List<QuarantineRow> Rejected) Transform(string key, string json)
    {
        var record = new BrokerRecord("patient-flow", 1, 40, AppendedAtUtc, key, Encoding.UTF8.GetBytes(json));
        List<SilverEventRow> accepted = [];
        List<QuarantineRow> rejected = [];
        NewTransformer().Transform(record, "test-source", DateTimeOffset.UnixEpoch, accepted, rejected);
        return (accepted, rejected);
    }

    [Fact]
    public void An_encounter_on_the_topic_becomes_its_movements_in_silver_with_the_fhir_source_format()
    {
        var (accepted, rejected) = Transform("P-7", Stay);

        Assert.Empty(rejected);
        Assert.Equal([PatientFlowEventType.Admit, PatientFlowEventType.Transfer, PatientFlowEventType.Discharge], accepted.Select(r => r.Event.Type));
        Assert.Equal(["RGH-ICU", "RGH-CAR", "RGH-CAR"], accepted.Select(r => r.Event.WardId));
        var batch = SilverBatches.Events(accepted, new HashSet<string>());
        Assert.All(batch.Column<string?>(SilverEventsTable.SourceFormat), f => Assert.Equal(SourceFormats.FhirR4, f));
    }

    [Fact]
    public void A_refused_encounter_is_quarantined_with_the_fhir_reason()
    {
        var (accepted, rejected) = Transform("P-7", Stay.Replace("\"IMP\"", "\"AMB\"", StringComparison.Ordinal));

        Assert.Empty(accepted);
        Assert.Equal("unsupported_class:AMB", Assert.Single(rejected).Reason);
    }

    [Fact]
    public void An_encounter_under_another_patients_key_is_quarantined_as_a_key_mismatch()
    {
        var (accepted, rejected) = Transform("P-8", Stay);

        Assert.Empty(accepted);
        Assert.All(rejected, r => Assert.Equal(RejectionReasons.KeyMismatch, r.Reason));
    }
}
