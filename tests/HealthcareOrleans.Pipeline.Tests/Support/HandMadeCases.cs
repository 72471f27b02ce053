using System.Text;
using System.Text.Json.Nodes;

namespace HealthcareOrleans.Pipeline.Tests.Support;

/// <summary>
/// The cases issue 12 names, written as a producer would send them: cancels of every kind, a late cancel, a double
/// cancel, an id replayed with another date, an id shared by two patients, a late event past the retained history, a
/// discharge before its admission and an encounter id reused after its discharge. Times are hours after
/// <see cref="LakeSimulations.Start"/>; all patient ids start with <see cref="Prefix"/>.
/// </summary>
public static class HandMadeCases
{
    public const string Prefix = "HM-";

    public static List<(string? Key, byte[] Value)> All()
    {
        List<(string? Key, byte[] Value)> messages = [];
        void Send(string id, string type, double hours, string patient, string encounter, string? ward = null, string? bed = null) =>
            messages.Add((Prefix + patient, Encoding.UTF8.GetBytes(Event(id, type, hours, Prefix + patient, encounter, ward, bed))));

        Send("hm-ca-1", "ARRIVAL", 1, "CA", "CA-E", "RGH-ED");
        Send("hm-ca-2", "ADMIT", 2, "CA", "CA-E", "RGH-AMU", "AMU-1");
        Send("hm-ca-3", "CANCEL_ADMIT", 3, "CA", "CA-E");

        Send("hm-ct-1", "ADMIT", 1, "CT", "CT-E", "RGH-AMU", "AMU-2");
        Send("hm-ct-2", "TRANSFER", 5, "CT", "CT-E", "RGH-CAR", "CAR-1");
        Send("hm-ct-3", "CANCEL_TRANSFER", 6, "CT", "CT-E");

        Send("hm-cd-1", "ADMIT", 1, "CD", "CD-E", "RGH-AMU", "AMU-3");
        Send("hm-cd-2", "DISCHARGE", 30, "CD", "CD-E");
        Send("hm-cd-3", "CANCEL_DISCHARGE", 31, "CD", "CD-E");

        Send("hm-dc-1", "ADMIT", 1, "DC", "DC-E", "RGH-AMU", "AMU-4");
        Send("hm-dc-2", "TRANSFER", 4, "DC", "DC-E", "RGH-CAR", "CAR-2");
        Send("hm-dc-3", "TRANSFER", 8, "DC", "DC-E", "RGH-ICU", "ICU-1");
        Send("hm-dc-4", "CANCEL_TRANSFER", 9, "DC", "DC-E");
        Send("hm-dc-5", "CANCEL_TRANSFER", 10, "DC", "DC-E");
        Send("hm-dc-6", "DISCHARGE", 40, "DC", "DC-E");

        Send("hm-lc-1", "ADMIT", 1, "LC", "LC-E", "RGH-AMU", "AMU-5");
        Send("hm-lc-2", "TRANSFER", 6, "LC", "LC-E", "RGH-CAR", "CAR-3");
        Send("hm-lc-3", "DISCHARGE", 50, "LC", "LC-E");
        Send("hm-lc-4", "CANCEL_TRANSFER", 7, "LC", "LC-E");

        Send("hm-rp-1", "ADMIT", 1, "RP", "RP-E", "RGH-AMU", "AMU-6");
        Send("hm-rp-1", "ADMIT", 49, "RP", "RP-E", "RGH-AMU", "AMU-6");

        Send("hm-shared", "ADMIT", 2, "S1", "S1-E", "RGH-AMU", "AMU-7");
        Send("hm-shared", "ADMIT", 3, "S2", "S2-E", "RGH-CAR", "CAR-4");

        Send("hm-it-1", "ARRIVAL", 1.2, "IT", "IT-E", "RGH-ED");
        Send("hm-it-2", "ADMIT", 101.8, "IT", "IT-E", "RGH-AMU", "AMU-8");
        Send("hm-it-3", "DISCHARGE", 93.2, "IT", "IT-E");
        Send("hm-it-4", "DISCHARGE", 120, "IT", "IT-E");
        Send("hm-it-5", "ADMIT", 130, "IT", "IT-E", "RGH-AMU", "AMU-8");

        for (var k = 0; k < 25; k++)
        {
            Send($"hm-lt-a{k}", "ADMIT", k * 10, "LT", $"LT-E{k}", "RGH-AMU", "AMU-9");
            Send($"hm-lt-t{k}", "TRANSFER", (k * 10) + 2, "LT", $"LT-E{k}", "RGH-CAR", "CAR-5");
            Send($"hm-lt-d{k}", "DISCHARGE", (k * 10) + 4, "LT", $"LT-E{k}");
        }

        Send("hm-lt-late", "TRANSFER", 1, "LT", "LT-E0", "RGH-ICU", "ICU-2");
        return messages;
    }

    private static string Event(string id, string type, double hours, string patient, string encounter, string? ward, string? bed) =>
        new JsonObject
        {
            ["event_id"] = id,
            ["event_type"] = type,
            ["occurred_at"] = LakeSimulations.Start.AddHours(hours).ToString("O"),
            ["hospital_id"] = "RGH",
            ["patient_id"] = patient,
            ["encounter_id"] = encounter,
            ["ward_id"] = ward,
            ["bed_id"] = bed,
            ["acuity"] = 3,
            ["patient"] = new JsonObject { ["gender"] = "F", ["birth_date"] = "1970-05-01", ["postal_code"] = "NC14 2AB", ["payer"] = "NHS" },
            ["schema_version"] = 1,
        }.ToJsonString();
}
