using System.Text;
using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Tests.Support;

namespace HealthcareOrleans.Contracts.Tests.Events;

/// <summary>Which decoder a topic value goes to, decided from its first bytes alone.</summary>
public sealed class PayloadFormatTests
{
    private const string Encounter = """{"resourceType":"Encounter","id":"e1","status":"in-progress"}""";

    [Fact]
    public void An_engine_JSON_event_is_decoded_as_json_and_says_so()
    {
        var result = Payloads.Adt().Decode();

        Assert.True(result.IsAccepted, result.Detail);
        Assert.All(result.Events, e => Assert.Equal(SourceFormats.Json, e.SourceFormat));
    }

    [Fact]
    public void A_FHIR_resource_without_a_FHIR_decoder_is_refused_as_an_unsupported_format()
    {
        var result = Payloads.Decode(Payloads.Bytes(Encounter));

        Assert.Equal("unsupported_format:fhir", Payloads.RejectionOf(result));
    }

    [Fact]
    public void A_FHIR_resource_goes_to_the_FHIR_decoder_with_its_bytes_and_append_time()
    {
        var fhir = new RecordingDecoder();
        var decoder = new PatientFlowDecoder(DecodeLimits.Default, fhir);

        var result = decoder.Decode(Payloads.Bytes("  " + Encounter), Payloads.AppendedAt);

        Assert.Equal("recorded", result.RejectionReason);
        Assert.Equal("  " + Encounter, fhir.Payload);
        Assert.Equal(Payloads.AppendedAt, fhir.AppendedAt);
    }

    [Theory]
    [InlineData("""{"resourceType":"Encounter"}""", true)]
    [InlineData("""{"id":"x","meta":{"a":[1,{"b":2}]},"resourceType":"Bundle"}""", true)]
    [InlineData("""{"event_id":"e","note":{"resourceType":"Encounter"}}""", false)]
    [InlineData("""{"event_id":"resourceType"}""", false)]
    [InlineData("""["resourceType"]""", false)]
    [InlineData("""{"resourceType":""", true)]
    [InlineData("""{"id":,"resourceType":"Encounter"}""", false)]
    [InlineData("""{"event_id":"e","resource_type":"Encounter"}""", false)]
    // A resource broken after its resourceType is FHIR all the same: the FHIR decoder explains the problem in FHIR terms.
    public void Only_a_top_level_resourceType_makes_a_payload_FHIR(string json, bool isFhir)
    {
        Assert.Equal(isFhir, PayloadFormat.IsFhir(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void A_nested_resourceType_leaves_an_engine_event_to_the_JSON_contract()
    {
        var json = Payloads.Adt();
        json["note"] = new System.Text.Json.Nodes.JsonObject { ["resourceType"] = "Encounter" };

        var result = new PatientFlowDecoder(DecodeLimits.Default, new RecordingDecoder()).Decode(json.Bytes(), Payloads.AppendedAt);

        Assert.True(result.IsAccepted, result.Detail);
        Assert.Equal(SourceFormats.Json, result.Event!.SourceFormat);
    }

    [Theory]
    [InlineData("MSH|^~\\&|A", true)]
    [InlineData(" MSH|^~\\&|A", false)]
    [InlineData("\nMSH|^~\\&|A", false)]
    [InlineData("\u000bMSH|^~\\&|A", false)]
    [InlineData("msh|^~\\&|A", false)]
    [InlineData("PID|1", false)]
    public void Only_a_payload_beginning_with_MSH_is_HL7_v2(string payload, bool isHl7)
    {
        Assert.Equal(isHl7, PayloadFormat.IsHl7V2(Encoding.UTF8.GetBytes(payload)));
    }

    private sealed class RecordingDecoder : IPayloadDecoder
    {
        public string? Payload { get; private set; }

        public DateTimeOffset AppendedAt { get; private set; }

        public DecodeResult Decode(ReadOnlySpan<byte> payload, DateTimeOffset appendedAt)
        {
            Payload = Encoding.UTF8.GetString(payload);
            AppendedAt = appendedAt;
            return DecodeResult.Rejected("recorded", "the test decoder records its input");
        }
    }
}
