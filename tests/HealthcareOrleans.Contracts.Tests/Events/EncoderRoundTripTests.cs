using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Tests.Support;

namespace HealthcareOrleans.Contracts.Tests.Events;

public sealed class EncoderRoundTripTests
{
    private static readonly PatientFlowDecoder Decoder = new();

    public static TheoryData<PatientFlowEvent> Events() => new()
    {
        new PatientFlowEvent("evt-1", PatientFlowEventType.Arrival, new DateTimeOffset(2025, 3, 4, 8, 0, 0, TimeSpan.Zero),
            "RGH", "P-1", "E-1", "RGH-ED", null, null, "Emergency", 2,
            new PatientDemographics("F", new DateOnly(1990, 2, 28), null, "SW1A 1AA", "NHS"), 1),
        new PatientFlowEvent("evt-2", PatientFlowEventType.Transfer, new DateTimeOffset(2025, 3, 4, 6, 30, 15, 250, TimeSpan.FromHours(-5)),
            "RGH", "P-1", "E-1", "RGH-CAR", "RGH-AMU", "CAR-3", null, null, null, 1),
        new PatientFlowEvent("evt-3", PatientFlowEventType.CancelDischarge, new DateTimeOffset(2025, 3, 4, 11, 0, 0, TimeSpan.FromMinutes(330)),
            "NCH", "P-ü 中", null, null, null, null, null, null, new PatientDemographics(null, null, 44, null, null), 1),
        new PatientFlowEvent("evt-4", PatientFlowEventType.Update, new DateTimeOffset(2025, 3, 4, 11, 0, 0, TimeSpan.Zero),
            "NCH", "P-\"quoted\"\\", null, null, null, null, null, 5, null, 1),
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void An_encoded_event_decodes_back_to_the_same_event(PatientFlowEvent original)
    {
        var result = Decoder.Decode(PatientFlowEncoder.Encode(original), Payloads.AppendedAt);

        Assert.True(result.IsAccepted, result.Detail);
        Assert.Equal(original, result.Event);
        Assert.Equal(original.OccurredAt.Offset, result.Event!.OccurredAt.Offset);
    }

    [Fact]
    public void Extensions_survive_the_round_trip_verbatim()
    {
        var extensions = new Dictionary<string, string>
        {
            ["triage"] = """{"score":7,"codes":["a",{"b":null}]}""",
            ["isolation"] = "true",
            ["note"] = "\"côte d'ivoire\"",
        };
        var original = new PatientFlowEvent("evt-x", PatientFlowEventType.Admit, new DateTimeOffset(2025, 3, 4, 8, 0, 0, TimeSpan.Zero),
            "RGH", "P-1", "E-1", "RGH-AMU", null, "A-1", "Medicine", 3, null, 1, extensions);

        var decoded = Decoder.Decode(PatientFlowEncoder.Encode(original), Payloads.AppendedAt).Event!;

        Assert.Equal(original with { Extensions = null }, decoded with { Extensions = null });
        Assert.Equal(extensions.OrderBy(kv => kv.Key), decoded.Extensions!.OrderBy(kv => kv.Key));
    }

    [Fact]
    public void Re_encoding_a_decoded_message_reproduces_its_bytes()
    {
        var json = Payloads.Adt().With("custom", new System.Text.Json.Nodes.JsonObject { ["k"] = 1 });
        var first = PatientFlowEncoder.Encode(json.Decode().Event!);

        var second = PatientFlowEncoder.Encode(Decoder.Decode(first, Payloads.AppendedAt).Event!);

        Assert.Equal(first, second);
    }

    [Fact]
    public void The_discharge_of_a_flat_record_round_trips_through_the_ADT_format()
    {
        // Only the discharge: the flat admission names a department, not a ward, which the ADT format requires of an ADMIT.
        var discharge = Payloads.Flat().With("discharge_time", "2025-03-02 10:00:00").Decode().Events[1];

        var decoded = Decoder.Decode(PatientFlowEncoder.Encode(discharge), Payloads.AppendedAt);

        Assert.True(decoded.IsAccepted, decoded.Detail);
        Assert.Equal(discharge, decoded.Event);
    }
}
