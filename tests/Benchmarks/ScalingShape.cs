using System.Globalization;

namespace HealthcareOrleans.Benchmarks;

/// <summary>
/// How a figure changes with the number of patients: each level's median relative to the smallest level's, and the
/// curve from the smallest to the largest level named flat, sub-linear, linear or worse by the exponent k of
/// cost ∝ patients^k (cost = 1 / throughput, or the latency itself).
/// </summary>
internal static class ScalingShape
{
    /// <summary>Changes smaller than this factor either way are within the spread of runs on this shared machine.</summary>
    private const double FlatWithin = 1.25;

    public static IEnumerable<string> Describe(string measure, IReadOnlyList<(int Patients, double Value)> runs, bool higherIsBetter)
    {
        // A drain too short for two of the silo's reports has no rate (NaN); such a level has no place on the curve.
        var medians = runs
            .Where(r => !double.IsNaN(r.Value))
            .GroupBy(r => r.Patients)
            .OrderBy(g => g.Key)
            .Select(g => (Patients: g.Key, Median: FigureTable.Median([.. g.Select(r => r.Value).Order()])))
            .ToList();
        if (medians.Count < 2)
        {
            yield return $"shape of {measure}: needs valid runs at two levels or more";
            yield break;
        }

        var smallest = medians[0];
        foreach (var (patients, median) in medians.Skip(1))
        {
            yield return $"{measure} at {Text(patients)} patients = {Ratio(median / smallest.Median)}× the {Text(smallest.Patients)}-patient figure";
        }

        var largest = medians[^1];
        var ratio = largest.Median / smallest.Median;
        var cost = higherIsBetter ? 1 / ratio : ratio;
        var exponent = Math.Log(cost) / Math.Log(largest.Patients / (double)smallest.Patients);
        var shape = cost switch
        {
            < 1 / FlatWithin => "better with more patients",
            <= FlatWithin => $"flat (within ±{FlatWithin - 1:P0})",
            _ when exponent < 0.9 => "worse with more patients, but less than in proportion (sub-linear)",
            _ when exponent <= 1.1 => "linear: in proportion to the patients",
            _ => "worse than linear",
        };
        yield return $"shape of {measure}, {Text(smallest.Patients)} → {Text(largest.Patients)} patients ({largest.Patients / (double)smallest.Patients:N0}×): " +
            $"{Ratio(ratio)}×, cost ∝ patients^{exponent.ToString("N2", CultureInfo.InvariantCulture)}: {shape}";
    }

    private static string Ratio(double ratio) => ratio.ToString("N2", CultureInfo.InvariantCulture);

    private static string Text(int patients) => patients.ToString("N0", CultureInfo.InvariantCulture);
}
