using System.Globalization;

namespace HealthcareOrleans.Dashboard.Tests.Support;

/// <summary>Topic values in the event contract (snake_case JSON), with event times just before now.</summary>
public static class Events
{
    public static string Admit(string eventId, string patientId, string wardId, string bedId, string hospitalId = "RGH") =>
        $$"""{"event_id":"{{eventId}}","event_type":"ADMIT","occurred_at":"{{Now()}}","hospital_id":"{{hospitalId}}","patient_id":"{{patientId}}","ward_id":"{{wardId}}","bed_id":"{{bedId}}","schema_version":1}""";

    public static string Arrival(string eventId, string patientId, string wardId, string hospitalId = "RGH") =>
        $$"""{"event_id":"{{eventId}}","event_type":"ARRIVAL","occurred_at":"{{Now()}}","hospital_id":"{{hospitalId}}","patient_id":"{{patientId}}","ward_id":"{{wardId}}","acuity":3,"schema_version":1}""";

    private static string Now() => DateTimeOffset.UtcNow.AddSeconds(-30).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
