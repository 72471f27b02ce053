namespace HealthcareOrleans.Simulation.Model;

/// <summary>
/// A non-homogeneous Poisson process by thinning (Lewis and Shedler, 1979): candidates come at the peak rate and each
/// is kept with probability rate(t) / peak rate, which gives exactly the time-varying rate without integrating it.
/// </summary>
internal sealed class ArrivalProcess(ArrivalProfile profile, double arrivalsPerDay)
{
    public double ArrivalsPerDay { get; } = arrivalsPerDay;

    /// <returns>The next arrival strictly after <paramref name="after"/>, or null when this process has no arrivals.</returns>
    public DateTimeOffset? Next(DateTimeOffset after, Random random)
    {
        if (ArrivalsPerDay <= 0 || profile.Peak <= 0)
        {
            return null;
        }

        var peakPerDay = ArrivalsPerDay * profile.Peak;
        var candidate = after;
        while (true)
        {
            candidate += RandomSampling.WholeSeconds(random.Exponential(peakPerDay) * 86_400);
            if (random.NextDouble() * profile.Peak < profile.MultiplierAt(candidate))
            {
                return candidate;
            }
        }
    }
}
