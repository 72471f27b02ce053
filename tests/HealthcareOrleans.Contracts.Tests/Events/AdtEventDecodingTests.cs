using System.Text.Json.Nodes;
using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Tests.Support;

namespace HealthcareOrleans.Contracts.Tests.Events;

public sealed class AdtEventDecodingTests
{
    [Fact]
    public void A_complete_ADT_event_decodes_into_every_field()
    {
        var result = Payloads.Adt().Decode();

        Assert.True(result.IsAccepted, result.Detail);
        Assert.Single(result.Events);
        var e = result.Event!;
        Assert.Equal("evt-0001", e.EventId);
        Assert.Equal(PatientFlowEventType.Admit, e.EventType);
        Assert.Equal(new DateTimeOffset(2025, 3, 4, 10, 15, 0, TimeSpan.FromHours(1)), e.OccurredAt);
        Assert.Equal(TimeSpan.FromHours(1), e.OccurredAt.Offset);
        Assert.Equal("RGH", e.HospitalId);
        Assert.Equal("P-1001", e.PatientId);
        Assert.Equal("E-77", e.EncounterId);
        Assert.Equal("RGH-AMU", e.WardId);
        Assert.Null(e.FromWardId);
        Assert.Equal("AMU-07", e.BedId);
        Assert.Equal("Medicine", e.Department);
        Assert.Equal(3, e.Acuity);
        Assert.Equal(new PatientDemographics("F", new DateOnly(1958, 6, 30), null, "SW1A 1AA", "NHS"), e.Patient);
        Assert.Equal(1, e.SchemaVersion);
        Assert.Null(e.Extensions);
    }

    [Fact]
    public void Only_the_required_fields_are_enough_for_a_discharge()
    {
        var json = new JsonObject
        {
            ["event_id"] = "evt-9",
            ["event_type"] = "DISCHARGE",
            ["occurred_at"] = "2025-03-04T09:00:00Z",
            ["hospital_id"] = "NCH",
            ["patient_id"] = "P-9",
        };

        var e = json.Decode().Event!;

        Assert.Equal(PatientFlowEventType.Discharge, e.EventType);
        Assert.Null(e.Patient);
        Assert.Null(e.WardId);
        Assert.Equal(1, e.SchemaVersion);
    }

    [Theory]
    [InlineData("ARRIVAL", PatientFlowEventType.Arrival)]
    [InlineData("admit", PatientFlowEventType.Admit)]
    [InlineData("  Transfer ", PatientFlowEventType.Transfer)]
    [InlineData("discharge", PatientFlowEventType.Discharge)]
    [InlineData("Update", PatientFlowEventType.Update)]
    [InlineData("cancel_admit", PatientFlowEventType.CancelAdmit)]
    [InlineData("CANCEL_TRANSFER", PatientFlowEventType.CancelTransfer)]
    [InlineData("\tCancel_Discharge\n", PatientFlowEventType.CancelDischarge)]
    public void Event_types_are_read_whatever_their_case_and_surrounding_white_space(string wire, PatientFlowEventType expected)
    {
        var result = Payloads.Adt().With("event_type", wire).With("from_ward_id", "RGH-ED").Decode();

        Assert.True(result.IsAccepted, result.Detail);
        Assert.Equal(expected, result.Event!.EventType);
    }

    [Fact]
    public void Numbers_sent_as_strings_are_accepted()
    {
        var json = Payloads.Adt().With("acuity", "4").With("schema_version", "1");
        json["patient"]!["age"] = "71";

        var e = json.Decode().Event!;

        Assert.Equal(4, e.Acuity);
        Assert.Equal(1, e.SchemaVersion);
        Assert.Equal(71, e.Patient!.Age);
    }

    [Theory]
    [InlineData("2025-03-04T10:15:00Z")]
    [InlineData("2025-03-04T10:15:00.123+01:00")]
    [InlineData("2025-03-04T05:15:00.1234567-05:00")]
    [InlineData("2025-03-04t10:15:00+01:00")]
    [InlineData("2025-03-04T10:15+00:00")]
    [InlineData("2025-03-04 10:15:00+02:00")]
    [InlineData(" 2025-03-04T10:15:00z ")]
    public void ISO_8601_timestamps_with_an_offset_are_accepted(string occurredAt)
    {
        var result = Payloads.Adt().With("occurred_at", occurredAt).Decode();

        Assert.True(result.IsAccepted, result.Detail);
    }

    [Fact]
    public void A_timestamp_within_the_allowed_clock_skew_is_accepted()
    {
        var skewed = Payloads.AppendedAt + DecodeLimits.Default.MaxClockSkew;

        var result = Payloads.Adt().With("occurred_at", skewed.ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture)).Decode();

        Assert.True(result.IsAccepted, result.Detail);
    }

    [Fact]
    public void Unknown_extra_fields_are_kept_verbatim_in_the_extensions()
    {
        var payload = Payloads.Bytes("""
            {"event_id":"evt-1","event_type":"ARRIVAL","occurred_at":"2025-03-04T10:15:00Z","hospital_id":"RGH","patient_id":"P-1",
             "triage_category":"orange","news2_score":7,"isolation":true,"interpreter":null,
             "referral":{"source":"GP","codes":[1, 2, {"x":"y"}]},"tags":["a","b"]}
            """);

        var result = Payloads.Decode(payload);

        Assert.True(result.IsAccepted, result.Detail);
        var extensions = result.Event!.Extensions!;
        Assert.Equal(6, extensions.Count);
        Assert.Equal("\"orange\"", extensions["triage_category"]);
        Assert.Equal("7", extensions["news2_score"]);
        Assert.Equal("true", extensions["isolation"]);
        Assert.Equal("null", extensions["interpreter"]);
        Assert.Equal("""{"source":"GP","codes":[1, 2, {"x":"y"}]}""", extensions["referral"]);
        Assert.Equal("""["a","b"]""", extensions["tags"]);
    }

    [Fact]
    public void Unknown_fields_inside_the_patient_object_are_no_error()
    {
        var json = Payloads.Adt();
        json["patient"]!["ethnicity"] = "A";

        Assert.True(json.Decode().IsAccepted);
    }

    [Fact]
    public void Exactly_the_allowed_number_of_unknown_fields_is_accepted()
    {
        var json = Payloads.Adt();
        for (var i = 0; i < DecodeLimits.Default.MaxUnknownFields; i++)
        {
            json[$"x_{i}"] = i;
        }

        var result = json.Decode();

        Assert.True(result.IsAccepted, result.Detail);
        Assert.Equal(DecodeLimits.Default.MaxUnknownFields, result.Event!.Extensions!.Count);
    }

    [Fact]
    public void A_field_of_exactly_the_maximum_length_is_accepted()
    {
        var result = Payloads.Adt().With("bed_id", new string('b', DecodeLimits.Default.MaxFieldLength)).Decode();

        Assert.True(result.IsAccepted, result.Detail);
    }

    [Fact]
    public void Decoding_is_a_function_of_the_bytes_and_the_append_time()
    {
        var payload = Payloads.Adt().With("extra", new JsonObject { ["a"] = 1 }).Bytes();

        var first = Payloads.Decode(payload).Event!;
        var second = Payloads.Decode(payload).Event!;

        Assert.Equal(first with { Extensions = null }, second with { Extensions = null });
        Assert.Equal(first.Extensions, second.Extensions);
    }
}
