using System.Text.Json.Nodes;

namespace HealthcareOrleans.Grains.Tests.Support;

/// <summary>Patient-flow messages as a producer writes them (the wire format of the README's event contract).</summary>
internal static class AdtJson
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    public static string Event(string eventId, string type, double hours, string patient, string? encounter, string? ward = null, string? bed = null) =>
        new JsonObject
        {
            ["event_id"] = eventId,
            ["event_type"] = type,
            ["occurred_at"] = T0.AddHours(hours).ToString("O"),
            ["hospital_id"] = "RGH",
            ["patient_id"] = patient,
            ["encounter_id"] = encounter,
            ["ward_id"] = ward,
            ["bed_id"] = bed,
            ["schema_version"] = 1,
        }.ToJsonString();
}
