namespace HealthcareOrleans.Simulation.Replay.Mimic;

/// <summary>
/// MIMIC shifts every patient's dates by its own secret offset into 2110–2214, so only intervals within a patient
/// are real; times between patients mean nothing. The replay shifts each patient again, by whole weeks (weekdays and
/// times of day stay), so that the patient's last event lands in the week before the conversion: every interval of a
/// patient stays exact to the second, nothing lies in the future, and the hospital's history spans the longest
/// patient history (years) instead of MIMIC's century, which hourly Gold facts would have to cover hour by hour.
/// </summary>
public static class MimicTimeShift
{
    public static TimeSpan For(DateTime latest, DateTimeOffset now)
    {
        var target = now.UtcDateTime.Date.AddDays(-1);
        var weeks = Math.Floor((target - latest).TotalDays / 7);
        return TimeSpan.FromDays(weeks * 7);
    }

    /// <summary>Each patient's shift, from the latest instant any of their rows mentions.</summary>
    public static IReadOnlyDictionary<long, TimeSpan> PerPatient(IReadOnlyList<MimicTransfer> transfers, DateTimeOffset now) =>
        transfers.GroupBy(t => t.SubjectId).ToDictionary(g => g.Key, g => For(g.Max(t => t.OutTime is { } o && o > t.InTime ? o : t.InTime), now));

    public static IReadOnlyList<MimicTransfer> Apply(IReadOnlyList<MimicTransfer> transfers, IReadOnlyDictionary<long, TimeSpan> shifts) =>
        transfers.Select(t => t with { InTime = t.InTime + shifts[t.SubjectId], OutTime = t.OutTime + shifts[t.SubjectId] }).ToList();
}
