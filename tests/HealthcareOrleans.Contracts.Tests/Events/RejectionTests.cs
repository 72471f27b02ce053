using System.Text;
using System.Text.Json.Nodes;
using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Tests.Support;

namespace HealthcareOrleans.Contracts.Tests.Events;

/// <summary>Guarantee 4: bad input is rejected with a machine-readable reason, never an exception.</summary>
public sealed class RejectionTests
{
    [Theory]
    [InlineData("""{"event_id":"e1","event_type":"ADMIT","occurred_at":"2025-03-04T10:15:00Z","hosp""")]
    [InlineData("""{"event_id":"e1",""")]
    [InlineData("""{"event_id":"e1" "event_type":"ADMIT"}""")]
    [InlineData("""{"event_id":'e1'}""")]
    [InlineData("""{"event_id":"e1",}""")]
    [InlineData("""{"event_id":"e1"} trailing""")]
    [InlineData("""{"event_id":"e1" /* comment */}""")]
    [InlineData("{")]
    [InlineData("not json at all")]
    [InlineData("   ")]
    public void Broken_JSON_is_malformed_json(string text)
    {
        Assert.Equal("malformed_json", Payloads.RejectionOf(Payloads.Decode(Payloads.Bytes(text))));
    }

    [Fact]
    public void Valid_JSON_cut_off_anywhere_is_malformed_json()
    {
        var complete = Payloads.Adt().Bytes();
        for (var length = 1; length < complete.Length; length++)
        {
            var reason = Payloads.RejectionOf(Payloads.Decode(complete[..length]));
            Assert.True(reason == "malformed_json", $"cut at {length} of {complete.Length}: {reason}");
        }
    }

    [Fact]
    public void An_empty_payload_is_malformed_json()
    {
        Assert.Equal("malformed_json", Payloads.RejectionOf(Payloads.Decode([])));
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })]          // invalid continuation byte
    [InlineData(new byte[] { 0xFF })]                // never valid in UTF-8
    [InlineData(new byte[] { 0xE2, 0x82 })]          // truncated sequence
    [InlineData(new byte[] { 0xC0, 0xAF })]          // overlong encoding of '/'
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]    // an encoded UTF-16 surrogate
    public void Invalid_UTF8_inside_a_string_is_malformed_json(byte[] invalid)
    {
        var prefix = Encoding.UTF8.GetBytes("""{"event_id":"e""");
        var suffix = Encoding.UTF8.GetBytes("""1","event_type":"ADMIT","occurred_at":"2025-03-04T10:15:00Z","hospital_id":"RGH","patient_id":"P-1","ward_id":"RGH-AMU"}""");

        var result = Payloads.Decode([.. prefix, .. invalid, .. suffix]);

        Assert.Equal("malformed_json", Payloads.RejectionOf(result));
    }

    [Fact]
    public void Invalid_UTF8_inside_an_unknown_field_is_malformed_json()
    {
        var prefix = Encoding.UTF8.GetBytes("""{"event_id":"e1","event_type":"ADMIT","occurred_at":"2025-03-04T10:15:00Z","hospital_id":"RGH","patient_id":"P-1","ward_id":"RGH-AMU","note":"x""");
        var suffix = Encoding.UTF8.GetBytes("\"}");

        Assert.Equal("malformed_json", Payloads.RejectionOf(Payloads.Decode([.. prefix, 0xFF, .. suffix])));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""[{"event_id":"e1"}]""")]
    [InlineData("42")]
    [InlineData("\"ADMIT\"")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData(" null ")]
    public void JSON_that_is_not_an_object_is_not_an_object(string text)
    {
        Assert.Equal("not_an_object", Payloads.RejectionOf(Payloads.Decode(Payloads.Bytes(text))));
    }

    [Fact]
    public void A_message_over_the_size_limit_is_oversize()
    {
        var limits = DecodeLimits.Default;
        var json = Payloads.Adt().With("padding", new string('x', limits.MaxPayloadBytes));

        Assert.Equal("oversize", Payloads.RejectionOf(json.Decode()));
    }

    [Fact]
    public void Oversize_is_decided_before_parsing_so_even_garbage_is_only_oversize()
    {
        var limits = new DecodeLimits { MaxPayloadBytes = 10 };

        Assert.Equal("oversize", Payloads.RejectionOf(Payloads.Decode(new byte[11], limits)));
        Assert.Equal("malformed_json", Payloads.RejectionOf(Payloads.Decode(new byte[10], limits)));
    }

    [Fact]
    public void More_unknown_fields_than_allowed_is_too_many_fields()
    {
        var json = Payloads.Adt();
        for (var i = 0; i <= DecodeLimits.Default.MaxUnknownFields; i++)
        {
            json[$"x_{i}"] = i;
        }

        Assert.Equal("too_many_fields", Payloads.RejectionOf(json.Decode()));
    }

    [Fact]
    public void A_flat_record_with_too_many_unknown_fields_is_too_many_fields()
    {
        var json = Payloads.Flat();
        for (var i = 0; i <= DecodeLimits.Default.MaxUnknownFields; i++)
        {
            json[$"x_{i}"] = i;
        }

        Assert.Equal("too_many_fields", Payloads.RejectionOf(json.Decode()));
    }

    [Theory]
    [InlineData("event_id")]
    [InlineData("event_type")]
    [InlineData("occurred_at")]
    [InlineData("hospital_id")]
    [InlineData("patient_id")]
    [InlineData("encounter_id")]
    [InlineData("ward_id")]
    [InlineData("from_ward_id")]
    [InlineData("bed_id")]
    [InlineData("department")]
    public void A_field_longer_than_the_limit_is_field_too_long_naming_it(string field)
    {
        var json = Payloads.Adt().With(field, new string('a', DecodeLimits.Default.MaxFieldLength + 1));

        Assert.Equal($"field_too_long:{field}", Payloads.RejectionOf(json.Decode()));
    }

    [Theory]
    [InlineData("gender")]
    [InlineData("birth_date")]
    [InlineData("postal_code")]
    [InlineData("payer")]
    public void A_demographic_field_longer_than_the_limit_is_field_too_long_naming_it(string field)
    {
        var json = Payloads.Adt();
        json["patient"]![field] = new string('1', DecodeLimits.Default.MaxFieldLength + 1);

        Assert.Equal($"field_too_long:patient.{field}", Payloads.RejectionOf(json.Decode()));
    }

    [Theory]
    [InlineData("gender")]
    [InlineData("admission_time")]
    [InlineData("discharge_time")]
    [InlineData("bed_id")]
    public void A_flat_record_field_longer_than_the_limit_is_field_too_long_naming_it(string field)
    {
        var json = Payloads.Flat().With(field, new string('2', DecodeLimits.Default.MaxFieldLength + 1));

        Assert.Equal($"field_too_long:{field}", Payloads.RejectionOf(json.Decode()));
    }

    [Theory]
    [InlineData("event_id")]
    [InlineData("occurred_at")]
    [InlineData("hospital_id")]
    [InlineData("patient_id")]
    public void An_ADT_event_without_a_required_field_is_rejected_naming_it(string field)
    {
        Assert.Equal($"missing_field:{field}", Payloads.RejectionOf(Payloads.Adt().Without(field).Decode()));
    }

    [Fact]
    public void An_ADT_event_without_an_event_type_is_rejected_naming_it()
    {
        Assert.Equal("missing_field:event_type", Payloads.RejectionOf(Payloads.Adt().Without("event_type").Decode()));
    }

    [Theory]
    [InlineData("event_id", "")]
    [InlineData("patient_id", "   ")]
    [InlineData("hospital_id", null)]
    [InlineData("event_type", " ")]
    public void A_blank_or_null_required_field_counts_as_missing(string field, string? value)
    {
        Assert.Equal($"missing_field:{field}", Payloads.RejectionOf(Payloads.Adt().With(field, value).Decode()));
    }

    [Theory]
    [InlineData("ADMIT")]
    [InlineData("TRANSFER")]
    public void An_admission_or_transfer_without_a_ward_is_missing_ward_id(string type)
    {
        var json = Payloads.Adt().With("event_type", type).Without("ward_id");

        Assert.Equal("missing_field:ward_id", Payloads.RejectionOf(json.Decode()));
    }

    [Theory]
    [InlineData("ARRIVAL")]
    [InlineData("DISCHARGE")]
    [InlineData("UPDATE")]
    [InlineData("CANCEL_ADMIT")]
    public void Other_event_types_need_no_ward(string type)
    {
        Assert.True(Payloads.Adt().With("event_type", type).Without("ward_id").Decode().IsAccepted);
    }

    [Theory]
    [InlineData("event_id", "n")]
    [InlineData("patient_id", "n")]
    [InlineData("occurred_at", "n")]
    [InlineData("ward_id", "b")]
    [InlineData("acuity", "o")]
    [InlineData("acuity", "b")]
    [InlineData("schema_version", "o")]
    [InlineData("patient", "s")]
    [InlineData("patient", "a")]
    public void A_value_of_the_wrong_JSON_type_is_wrong_type_naming_the_field(string field, string kind)
    {
        JsonNode? value = kind switch
        {
            "n" => JsonValue.Create(1741083300),
            "b" => JsonValue.Create(true),
            "o" => new JsonObject { ["level"] = 3 },
            "s" => JsonValue.Create("female, 1958"),
            _ => new JsonArray(1, 2),
        };

        Assert.Equal($"wrong_type:{field}", Payloads.RejectionOf(Payloads.Adt().With(field, value).Decode()));
    }

    [Fact]
    public void A_nested_value_of_the_wrong_type_names_its_path()
    {
        var json = Payloads.Adt();
        json["patient"]!["gender"] = 1;

        Assert.Equal("wrong_type:patient.gender", Payloads.RejectionOf(json.Decode()));
    }

    [Fact]
    public void A_number_string_that_is_not_a_number_is_wrong_type()
    {
        Assert.Equal("wrong_type:acuity", Payloads.RejectionOf(Payloads.Adt().With("acuity", "high").Decode()));
    }

    [Theory]
    [InlineData("2025-03-04T10:15:00")]
    [InlineData("2025-03-04 10:15:00")]
    [InlineData("2025-03-04T10:15:00.500")]
    [InlineData("2025-03-04")]
    public void An_ADT_timestamp_without_an_offset_is_a_bad_timestamp(string occurredAt)
    {
        Assert.Equal("bad_timestamp:occurred_at", Payloads.RejectionOf(Payloads.Adt().With("occurred_at", occurredAt).Decode()));
    }

    [Theory]
    [InlineData("03/04/2025")]
    [InlineData("03/04/2025 10:15")]
    [InlineData("4 March 2025 10:15 +01:00")]
    [InlineData("Tue, 04 Mar 2025 10:15:00 GMT")]
    [InlineData("2025-13-04T10:15:00Z")]
    [InlineData("2025-02-30T10:15:00Z")]
    [InlineData("2025-03-04T25:15:00Z")]
    [InlineData("1741083300")]
    [InlineData("2025-03-04T10:15:00+25:00")]
    [InlineData("1899-12-31T23:59:59Z")]
    public void A_locale_or_impossible_date_is_a_bad_timestamp(string occurredAt)
    {
        Assert.Equal("bad_timestamp:occurred_at", Payloads.RejectionOf(Payloads.Adt().With("occurred_at", occurredAt).Decode()));
    }

    [Theory]
    [InlineData("30/06/1958")]
    [InlineData("1958-06-30T00:00:00Z")]
    [InlineData("2025-03-05")]
    public void A_birth_date_that_is_not_a_past_ISO_date_is_a_bad_timestamp(string birthDate)
    {
        var json = Payloads.Adt();
        json["patient"]!["birth_date"] = birthDate;

        Assert.Equal("bad_timestamp:patient.birth_date", Payloads.RejectionOf(json.Decode()));
    }

    [Fact]
    public void An_event_later_than_the_clock_skew_allows_is_a_future_timestamp()
    {
        var json = Payloads.Adt().With("occurred_at", "2025-03-04T12:05:01Z");

        var reason = Payloads.RejectionOf(json.Decode());

        Assert.Equal("future_timestamp", RejectionReasons.CodeOf(reason));
        Assert.Equal("future_timestamp:occurred_at", reason);
    }

    [Fact]
    public void The_future_is_judged_by_the_instant_not_by_the_wall_clock_digits()
    {
        // 14:00+03:00 is 11:00Z, before the append time of 12:00Z.
        Assert.True(Payloads.Adt().With("occurred_at", "2025-03-04T14:00:00+03:00").Decode().IsAccepted);
        // 08:00-05:00 is 13:00Z, an hour after it.
        Assert.Equal("future_timestamp:occurred_at", Payloads.RejectionOf(Payloads.Adt().With("occurred_at", "2025-03-04T08:00:00-05:00").Decode()));
    }

    [Theory]
    [InlineData("ADMITTED")]
    [InlineData("A01")]
    [InlineData("CANCEL")]
    [InlineData("CANCEL-ADMIT")]
    public void An_unknown_event_type_is_rejected(string type)
    {
        Assert.Equal("unknown_event_type", Payloads.RejectionOf(Payloads.Adt().With("event_type", type).Decode()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(-1)]
    public void An_acuity_outside_one_to_five_is_a_bad_value(int acuity)
    {
        Assert.Equal("bad_value:acuity", Payloads.RejectionOf(Payloads.Adt().With("acuity", acuity).Decode()));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(131)]
    public void A_patient_age_outside_zero_to_130_is_a_bad_value(int age)
    {
        var json = Payloads.Adt();
        json["patient"]!["age"] = age;

        Assert.Equal("bad_value:patient.age", Payloads.RejectionOf(json.Decode()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(-3)]
    public void A_schema_version_this_decoder_does_not_know_is_unsupported(int version)
    {
        Assert.Equal("unsupported_schema_version", Payloads.RejectionOf(Payloads.Adt().With("schema_version", version).Decode()));
    }

    [Fact]
    public void A_newer_schema_version_is_accepted_once_the_limits_allow_it()
    {
        var result = Payloads.Adt().With("schema_version", 2).Decode(new DecodeLimits { NewestSchemaVersion = 2 });

        Assert.True(result.IsAccepted, result.Detail);
        Assert.Equal(2, result.Event!.SchemaVersion);
    }

    [Fact]
    public void Every_rejection_reason_starts_with_a_known_code()
    {
        string[] codes =
        [
            RejectionReasons.MalformedJson, RejectionReasons.NotAnObject, RejectionReasons.Oversize, RejectionReasons.TooManyFields,
            RejectionReasons.FieldTooLong, RejectionReasons.MissingField, RejectionReasons.WrongType, RejectionReasons.BadTimestamp,
            RejectionReasons.FutureTimestamp, RejectionReasons.UnknownEventType, RejectionReasons.BadValue,
            RejectionReasons.UnsupportedSchemaVersion, RejectionReasons.ImpossibleTime,
        ];
        DecodeResult[] rejected =
        [
            Payloads.Decode([]), Payloads.Decode(Payloads.Bytes("[]")), Payloads.Adt().With("acuity", 9).Decode(),
            Payloads.Adt().With("occurred_at", "03/04/2025").Decode(), Payloads.Flat().With("discharge_time", "2025-02-01 00:00:00").Decode(),
        ];

        Assert.All(rejected, r => Assert.Contains(RejectionReasons.CodeOf(Payloads.RejectionOf(r)), codes));
    }
}
