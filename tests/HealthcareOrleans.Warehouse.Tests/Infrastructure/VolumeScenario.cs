using static HealthcareOrleans.Warehouse.Tests.Infrastructure.GoldRows;

namespace HealthcareOrleans.Warehouse.Tests.Infrastructure;

/// <summary>
/// A larger lake written in several commits per table (so several data files per version): <paramref name="patients"/>
/// patients, each with one encounter, two stays and one or two SCD2 versions; a census over the hours they cover.
/// </summary>
public static class VolumeScenario
{
    private static readonly DateTimeOffset Start = At("2026-02-01T00:00:00Z");

    public static async Task WriteAsync(GoldLake gold, int patients, int commits)
    {
        await gold.AppendAsync("dim_ward", [Ward("ED", "Emergency", "emergency", 20), Ward("MED", "Medicine 1", "medicine", 30), Ward("SUR", "Surgery", "surgery", 25)]);
        await gold.AppendAsync("dim_date", [.. Enumerable.Range(0, 59).Select(d => Date(DateOnly.FromDateTime(Start.UtcDateTime).AddDays(d)))]);
        var perCommit = (patients + commits - 1) / commits;
        for (var c = 0; c < commits; c++)
        {
            var ids = Enumerable.Range(c * perCommit, Math.Min(perCommit, patients - (c * perCommit))).ToList();
            await gold.AppendAsync("dim_patient", [.. ids.SelectMany(Versions)]);
            await gold.AppendAsync("fact_encounter", [.. ids.Select(EncounterOf)]);
            await gold.AppendAsync("fact_ward_stay", [.. ids.SelectMany(StaysOf)]);
        }

        var hours = Enumerable.Range(0, 24 * 28).Select(h => Start.AddHours(h)).ToList();
        foreach (var chunk in hours.Chunk(hours.Count / 2))
        {
            await gold.AppendAsync("fact_ward_census_hourly", [.. chunk.SelectMany(h => new[] { "ED", "MED", "SUR" }.Select(w => Census(w, h, 20, h.Hour % 7, h.Hour % 9, h.Hour % 5)))]);
        }
    }

    public static string Id(int i) => "V" + i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    public static DateTimeOffset ArrivalOf(int i) => Start.AddMinutes(i * 7 % (60 * 24 * 27));

    private static IEnumerable<GoldRow> Versions(int i)
    {
        var since = ArrivalOf(i).AddDays(-1);
        if (i % 3 == 0)
        {
            var change = since.AddHours(12);
            return [Patient(Id(i), since, change, 1, "self"), Patient(Id(i), change, OpenEnd, 2, "insurer")];
        }

        return [Patient(Id(i), since, OpenEnd, 1, "insurer")];
    }

    private static GoldRow EncounterOf(int i)
    {
        var arrived = ArrivalOf(i);
        var admitted = arrived.AddMinutes(30 + (i % 300));
        DateTimeOffset? discharged = i % 4 == 0 ? null : admitted.AddHours(6 + (i % 90));
        return Encounter(Id(i), ArrivalOf(i).AddDays(-1), "EV" + i, i % 2 == 0 ? "medicine" : "surgery", 1 + (i % 5), arrived, admitted, discharged,
            discharged is null ? "admitted" : "discharged", "ED", i % 2 == 0 ? "MED" : "SUR", 1);
    }

    private static IEnumerable<GoldRow> StaysOf(int i)
    {
        var arrived = ArrivalOf(i);
        var admitted = arrived.AddMinutes(30 + (i % 300));
        DateTimeOffset? discharged = i % 4 == 0 ? null : admitted.AddHours(6 + (i % 90));
        var since = arrived.AddDays(-1);
        return
        [
            Stay(Id(i), since, "EV" + i, "ED", arrived, admitted, "admission", "transfer"),
            Stay(Id(i), since, "EV" + i, i % 2 == 0 ? "MED" : "SUR", admitted, discharged, "transfer", discharged is null ? null : "discharge"),
        ];
    }
}
