using static HealthcareOrleans.Warehouse.Tests.Infrastructure.GoldRows;

namespace HealthcareOrleans.Warehouse.Tests.Infrastructure;

/// <summary>
/// Three patients, two wards (ED: 4 beds, emergency; MED: 2 beds, medicine), hospital H1, March 2026, all UTC:
/// <list type="bullet">
/// <item>P1 arrives in ED 10 Mar 08:00, admitted to MED 10:00 (waited 120 min), discharged 12 Mar 10:00 (48 h).
/// Payer changes on 11 Mar 12:00: version 1 "self" until then, version 2 "insurer" after.</item>
/// <item>P2 arrives in ED 10 Mar 09:00, admitted to MED 14:00 (waited 300 min, over four hours), still in MED.</item>
/// <item>P3 arrives in ED 10 Mar 11:00, sent home from ED 12:30 without admission.</item>
/// </list>
/// Census: MED 10 Mar 10:00 (1 patient all hour) and 14:00 (2 patients all hour).
/// </summary>
public static class HandCheckedScenario
{
    public static readonly DateTimeOffset P1Since = At("2026-01-01T00:00:00Z");
    public static readonly DateTimeOffset P1PayerChange = At("2026-03-11T12:00:00Z");
    public static readonly DateTimeOffset P2Since = At("2026-03-10T09:00:00Z");
    public static readonly DateTimeOffset P3Since = At("2026-03-10T11:00:00Z");

    public static async Task WriteAsync(GoldLake gold)
    {
        await gold.AppendAsync("dim_ward", [Ward("ED", "Emergency", "emergency", 4), Ward("MED", "Medicine 1", "medicine", 2)]);
        await gold.AppendAsync("dim_date", [.. Enumerable.Range(1, 31).Select(d => Date(new DateOnly(2026, 3, d)))]);
        await gold.AppendAsync("dim_patient",
        [
            Patient("P1", P1Since, P1PayerChange, 1, "self"),
            Patient("P1", P1PayerChange, OpenEnd, 2, "insurer"),
            Patient("P2", P2Since, OpenEnd, 1, "insurer", "M", "70-79"),
            Patient("P3", P3Since, OpenEnd, 1, "self", "F", "20-29"),
        ]);
        await gold.AppendAsync("fact_encounter",
        [
            Encounter("P1", P1Since, "E1", "medicine", 3, At("2026-03-10T08:00:00Z"), At("2026-03-10T10:00:00Z"), At("2026-03-12T10:00:00Z"), "discharged", "ED", "MED", 1),
            Encounter("P2", P2Since, "E2", "medicine", 2, At("2026-03-10T09:00:00Z"), At("2026-03-10T14:00:00Z"), null, "admitted", "ED", "MED", 1),
            Encounter("P3", P3Since, "E3", "emergency", 4, At("2026-03-10T11:00:00Z"), null, At("2026-03-10T12:30:00Z"), "discharged", "ED", "ED", 0),
        ]);
        await gold.AppendAsync("fact_ward_stay",
        [
            Stay("P1", P1Since, "E1", "ED", At("2026-03-10T08:00:00Z"), At("2026-03-10T10:00:00Z"), "admission", "transfer"),
            Stay("P1", P1Since, "E1", "MED", At("2026-03-10T10:00:00Z"), At("2026-03-12T10:00:00Z"), "transfer", "discharge"),
            Stay("P2", P2Since, "E2", "ED", At("2026-03-10T09:00:00Z"), At("2026-03-10T14:00:00Z"), "admission", "transfer"),
            Stay("P2", P2Since, "E2", "MED", At("2026-03-10T14:00:00Z"), null, "transfer", null),
            Stay("P3", P3Since, "E3", "ED", At("2026-03-10T11:00:00Z"), At("2026-03-10T12:30:00Z"), "admission", "discharge"),
        ]);
        await gold.AppendAsync("fact_ward_census_hourly",
        [
            Census("MED", At("2026-03-10T10:00:00Z"), 2, 1, 1, 1.0, transfersIn: 1),
            Census("MED", At("2026-03-10T14:00:00Z"), 2, 2, 2, 2.0, transfersIn: 1),
        ]);
    }
}
