using System.Text;
using System.Text.Json.Nodes;
using HealthcareOrleans.Contracts.Events;

namespace HealthcareOrleans.Contracts.Tests.Support;

/// <summary>Valid messages of both wire formats, to be bent into exactly the fault a test is about.</summary>
internal static class Payloads
{
    /// <summary>The broker's append time every test decodes against, so "the future" is fixed.</summary>
    public static readonly DateTimeOffset AppendedAt = new(2025, 3, 4, 12, 0, 0, TimeSpan.Zero);

    public static JsonObject Adt() => new()
    {
        ["event_id"] = "evt-0001",
        ["event_type"] = "ADMIT",
        ["occurred_at"] = "2025-03-04T10:15:00+01:00",
        ["hospital_id"] = "RGH",
        ["patient_id"] = "P-1001",
        ["encounter_id"] = "E-77",
        ["ward_id"] = "RGH-AMU",
        ["bed_id"] = "AMU-07",
        ["department"] = "Medicine",
        ["acuity"] = 3,
        ["patient"] = new JsonObject
        {
            ["gender"] = "F",
            ["birth_date"] = "1958-06-30",
            ["postal_code"] = "SW1A 1AA",
            ["payer"] = "NHS",
        },
        ["schema_version"] = 1,
    };

    public static JsonObject Flat() => new()
    {
        ["patient_id"] = "P-2002",
        ["gender"] = "Male",
        ["age"] = 67,
        ["department"] = "Cardiology",
        ["admission_time"] = "2025-03-01 08:30:00",
        ["discharge_time"] = null,
        ["bed_id"] = "C-12",
        ["hospital_id"] = "RGH",
    };

    public static JsonObject With(this JsonObject json, string name, JsonNode? value)
    {
        json[name] = value;
        return json;
    }

    public static JsonObject Without(this JsonObject json, string name)
    {
        json.Remove(name);
        return json;
    }

    public static byte[] Bytes(this JsonNode json) => Encoding.UTF8.GetBytes(json.ToJsonString());

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static DecodeResult Decode(this JsonNode json, DecodeLimits? limits = null) =>
        new PatientFlowDecoder(limits ?? DecodeLimits.Default).Decode(json.Bytes(), AppendedAt);

    public static DecodeResult Decode(byte[] payload, DecodeLimits? limits = null) =>
        new PatientFlowDecoder(limits ?? DecodeLimits.Default).Decode(payload, AppendedAt);

    /// <summary>Asserts a rejection and returns its reason, with the detail in the failure message so a wrong guess explains itself.</summary>
    public static string RejectionOf(DecodeResult result)
    {
        Assert.False(result.IsAccepted, $"expected a rejection, got {result.Event}");
        Assert.Empty(result.Events);
        Assert.False(string.IsNullOrWhiteSpace(result.Detail));
        return result.RejectionReason!;
    }
}
