namespace HealthcareOrleans.Simulation.Replay.Mimic;

/// <summary>
/// MIMIC dates lie in 2110–2214. One shift by whole days moves them all into the past: every interval stays exact to
/// the second, times of day and weekdays stay, and the newest event lands at least a day before the conversion.
/// </summary>
public static class MimicTimeShift
{
    public static TimeSpan For(DateTime latest, DateTimeOffset now)
    {
        var target = now.UtcDateTime.Date.AddDays(-1);
        var days = Math.Floor((target - latest).TotalDays);
        // Weeks, not days, so a Monday in MIMIC is a Monday in the replay.
        var weeks = Math.Floor(days / 7);
        return TimeSpan.FromDays(weeks * 7);
    }
}
