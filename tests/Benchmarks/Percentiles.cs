namespace HealthcareOrleans.Benchmarks;

internal static class Percentiles
{
    /// <summary>The nearest-rank percentile of an ascending list: the smallest value with at least <paramref name="q"/> of the values at or below it.</summary>
    public static double Of(List<double> sorted, double q) => sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(q * sorted.Count) - 1)];
}
