using System.Globalization;
using System.Text;

namespace HealthcareOrleans.Silo.Tests.Hardening;

/// <summary>One message a hostile or broken producer sends, and the reason Silver's quarantine must give for it.</summary>
/// <param name="Key">The Kafka key; null sends the message without one.</param>
/// <param name="SentBefore">Valid messages sent first under the same key (the case is about what follows them).</param>
public sealed record QuarantineCase(string Name, string? Key, byte[] Payload, string ExpectedReason, IReadOnlyList<byte[]>? SentBefore = null)
{
    public override string ToString() => Name;
}

/// <summary>
/// The bad inputs of the hardening review, each with its expected outcome. Add a case here and
/// <see cref="AdversarialInputTests"/> sends it through the real broker to a running silo and checks it.
/// </summary>
public static class AdversarialCases
{
    /// <summary>A few minutes ago, so that valid events are neither in the future nor too late.</summary>
    public static readonly DateTimeOffset Now = DateTimeOffset.UtcNow.AddMinutes(-5);

    public static IReadOnlyList<QuarantineCase> Quarantined { get; } =
    [
        new("broken JSON", "ADV-JSON", Bytes("""{"event_id":"adv-json","event_type":"ADMIT","""), "malformed_json"),
        new("not valid UTF-8", "ADV-UTF8", [0x7B, 0x22, 0xC3, 0x28, 0x22, 0x7D], "malformed_json"),
        new("a JSON array", "ADV-ARRAY", Bytes("[1,2,3]"), "not_an_object"),
        new("70 KB", "ADV-70KB", Padded(Admit("adv-70kb", "ADV-70KB"), 70_000), "oversize"),
        new("2 MB", "ADV-2MB", Padded(Admit("adv-2mb", "ADV-2MB"), 2_000_000), "oversize"),
        new("NUL inside the patient id", "A\u0000B", Admit("adv-nul", "A\u0000B"), "bad_value:patient_id"),
        new("right-to-left override in the patient id", "ADV-\u202E1RTL", Admit("adv-rtl", "ADV-\u202E1RTL"), "bad_value:patient_id"),
        new("terminal escape in the patient id", "ADV-\u001B[2J", Admit("adv-esc", "ADV-\u001B[2J"), "bad_value:patient_id"),
        new("control character in the event id", "ADV-EVT", Admit("adv-\u0007evt", "ADV-EVT"), "bad_value:event_id"),
        new("bidi isolate in the ward id", "ADV-WARD", Admit("adv-ward", "ADV-WARD", ward: "RGH-AMU\u2066"), "bad_value:ward_id"),
        new("blank patient id", null, Admit("adv-blank", " "), "missing_field:patient_id"),
        new("wrong type", "ADV-TYPE", Bytes(Json("adv-type", "ADMIT", "ADV-TYPE", "\"ward_id\":\"RGH-AMU\",\"acuity\":\"high\"")), "wrong_type:acuity"),
        new("a day in the future", "ADV-FUTURE", Bytes(Json("adv-future", "ADMIT", "ADV-FUTURE", "\"ward_id\":\"RGH-AMU\"", Now.AddDays(1))), "future_timestamp:occurred_at"),
        new("unknown ward", "ADV-NOWARD", Admit("adv-noward", "ADV-NOWARD", ward: "RGH-NOPE"), "unknown_ward:ward_id"),
        new("the same event id again with other content", "ADV-CONFLICT", Admit("adv-conflict", "ADV-CONFLICT", ward: "RGH-CAR"), "conflicting_duplicate",
            [Admit("adv-conflict", "ADV-CONFLICT")]),
        new("a discharge dated before its encounter's admission", "ADV-EARLY",
            Bytes(Json("adv-early-discharge", "DISCHARGE", "ADV-EARLY", "\"encounter_id\":\"ADV-EARLY-E1\"", Now.AddDays(-1))), "impossible_time:occurred_at",
            [Bytes(Json("adv-early-admit", "ADMIT", "ADV-EARLY", "\"encounter_id\":\"ADV-EARLY-E1\",\"ward_id\":\"RGH-AMU\""))]),
        new("too many fields", "ADV-FIELDS", Bytes(Json("adv-fields", "ADMIT", "ADV-FIELDS", "\"ward_id\":\"RGH-AMU\"," + string.Join(",", Enumerable.Range(0, 40).Select(i => $"\"x{i}\":{i}")))), "too_many_fields"),
    ];

    public static byte[] Admit(string eventId, string patientId, string ward = "RGH-AMU") =>
        Bytes(Json(eventId, "ADMIT", patientId, $"\"ward_id\":{Quote(ward)}"));

    public static string Json(string eventId, string type, string patientId, string extra, DateTimeOffset? at = null) =>
        $"{{\"event_id\":{Quote(eventId)},\"event_type\":\"{type}\",\"occurred_at\":\"{(at ?? Now).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}\",\"hospital_id\":\"RGH\",\"patient_id\":{Quote(patientId)},{extra},\"schema_version\":1}}";

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A valid event grown to <paramref name="size"/> bytes by an unknown field.</summary>
    private static byte[] Padded(byte[] valid, int size)
    {
        var text = Encoding.UTF8.GetString(valid);
        var filler = new string('x', size - valid.Length - 12);
        return Bytes(text[..^1] + ",\"x_pad\":\"" + filler + "\"}");
    }

    private static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value);
}
