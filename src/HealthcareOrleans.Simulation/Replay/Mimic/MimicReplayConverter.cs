using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using HealthcareOrleans.Simulation.Replay.Hl7;

namespace HealthcareOrleans.Simulation.Replay.Mimic;

/// <summary>What a conversion produced; also written as manifest.json beside the outputs.</summary>
/// <param name="ShiftDaysByPatient">Days each patient's dates moved (negative: into the past), by MIMIC subject_id.</param>
public sealed record MimicReplaySummary(
    int Patients, int Encounters, int Messages, IReadOnlyDictionary<string, int> MessagesByTrigger, int Wards,
    DateTime FirstOriginal, DateTime LastOriginal, DateTime FirstShifted, DateTime LastShifted, DateTimeOffset ConvertedAt,
    IReadOnlyDictionary<string, int> ShiftDaysByPatient);

/// <summary>
/// The MIMIC-IV demo as a feed: <c>layout.json</c> (the hospital), <c>adt.hl7</c> (its ADT messages in event-time
/// order, dates shifted into the past) and <c>manifest.json</c> (counts and the shift, so figures can be traced back).
/// </summary>
public static class MimicReplayConverter
{
    public const string LayoutFile = "layout.json";
    public const string AdtFile = "adt.hl7";
    public const string ManifestFile = "manifest.json";
    public const string AssigningAuthority = "MIMIC";

    /// <param name="progress">Messages written so far out of the total, as they are written.</param>
    public static MimicReplaySummary Convert(string demoDirectory, string outputDirectory, DateTimeOffset now, IProgress<(int Done, int Total)>? progress = null)
    {
        var original = MimicTables.ReadTransfers(demoDirectory);
        var patients = MimicTables.ReadPatients(demoDirectory).ToDictionary(p => p.SubjectId);
        if (original.Count == 0)
        {
            throw new InvalidDataException($"{demoDirectory}/hosp/transfers.csv.gz has no rows.");
        }

        var shifts = MimicTimeShift.PerPatient(original, now);
        var transfers = MimicTimeShift.Apply(original, shifts);
        var layout = MimicCareUnits.Layout(transfers);
        layout.Validate();
        var plan = MimicAdtPlan.Messages(transfers);

        Directory.CreateDirectory(outputDirectory);
        File.WriteAllText(Path.Combine(outputDirectory, LayoutFile), layout.ToJson());
        using (var adt = new StreamWriter(Path.Combine(outputDirectory, AdtFile), false, new UTF8Encoding(false)))
        {
            for (var i = 0; i < plan.Count; i++)
            {
                var m = plan[i];
                patients.TryGetValue(m.SubjectId, out var patient);
                Er7AdtWriter.Write(adt, new AdtMessage(
                    m.Trigger, new DateTimeOffset(m.At, TimeSpan.Zero), "MIMIC-" + m.ControlId,
                    m.SubjectId.ToString(CultureInfo.InvariantCulture), AssigningAuthority, patient?.Gender,
                    m.PatientClass, m.WardId, MimicCareUnits.HospitalId, m.PriorWardId, m.VisitNumber, "MIMIC-IV-DEMO"));
                if ((i + 1) % 50 == 0 || i + 1 == plan.Count)
                {
                    progress?.Report((i + 1, plan.Count));
                }
            }
        }

        var summary = new MimicReplaySummary(
            transfers.Select(t => t.SubjectId).Distinct().Count(),
            transfers.Select(MimicAdtPlan.VisitNumberOf).Distinct(StringComparer.Ordinal).Count(),
            plan.Count,
            plan.GroupBy(m => m.Trigger).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            layout.Wards.Count(),
            original.Min(t => t.InTime), original.Max(t => t.OutTime is { } o && o > t.InTime ? o : t.InTime), plan[0].At, plan[^1].At, now,
            shifts.OrderBy(s => s.Key).ToDictionary(s => s.Key.ToString(CultureInfo.InvariantCulture), s => (int)s.Value.TotalDays, StringComparer.Ordinal));
        File.WriteAllText(Path.Combine(outputDirectory, ManifestFile), JsonSerializer.Serialize(summary, MimicManifestJson.Default.MimicReplaySummary));
        return summary;
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(MimicReplaySummary))]
internal sealed partial class MimicManifestJson : JsonSerializerContext;
