namespace HealthcareOrleans.Simulation.Model;

/// <summary>
/// How the arrival rate varies over the day and the week, as multipliers averaging 1 over a week. Between hours the
/// rate is interpolated linearly, so it has no steps that would show up as artefacts in hourly census charts.
/// </summary>
internal sealed class ArrivalProfile
{
    private readonly double[] _hourly;
    private readonly double[] _daily;

    private ArrivalProfile(double[] hourly, double[] dailyFromMonday)
    {
        var hourlyMean = hourly.Average();
        var dailyMean = dailyFromMonday.Average();
        _hourly = hourly.Select(h => h / hourlyMean).ToArray();
        _daily = dailyFromMonday.Select(d => d / dailyMean).ToArray();
        Peak = _hourly.Max() * _daily.Max();
    }

    /// <summary>
    /// Emergency attendances: a trough around 4 am at a third of the mean, a late-morning peak and a second, flatter one
    /// in the early evening; Mondays busiest, weekends quieter (the shape of published ED attendance curves).
    /// </summary>
    public static ArrivalProfile Emergency { get; } = new(
        [0.55, 0.45, 0.38, 0.33, 0.30, 0.32, 0.42, 0.65, 0.95, 1.25, 1.45, 1.50,
         1.45, 1.40, 1.38, 1.35, 1.35, 1.40, 1.42, 1.35, 1.20, 1.00, 0.85, 0.70],
        [1.10, 1.02, 1.00, 1.00, 1.00, 0.93, 0.95]);

    /// <summary>Planned admissions come in on weekday mornings, with a smaller early-afternoon list; none at weekends.</summary>
    public static ArrivalProfile Elective { get; } = new(
        [0, 0, 0, 0, 0, 0, 0.2, 3.0, 5.0, 4.0, 3.0, 2.0,
         1.5, 2.0, 2.0, 1.0, 0.3, 0, 0, 0, 0, 0, 0, 0],
        [1, 1, 1, 1, 1, 0, 0]);

    /// <summary>The largest multiplier anywhere in the week: the envelope thinning draws candidates from.</summary>
    public double Peak { get; }

    public double MultiplierAt(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        var hourOfDay = utc.TimeOfDay.TotalHours;
        var hour = (int)hourOfDay;
        var fraction = hourOfDay - hour;
        var hourly = (_hourly[hour] * (1 - fraction)) + (_hourly[(hour + 1) % 24] * fraction);
        var dayFromMonday = ((int)utc.DayOfWeek + 6) % 7;
        return hourly * _daily[dayFromMonday];
    }
}
