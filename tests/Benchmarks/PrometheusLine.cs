using System.Globalization;

namespace HealthcareOrleans.Benchmarks;

/// <summary>One sample line of the Prometheus text format: <c>name{labels} value [timestamp]</c>.</summary>
internal static class PrometheusLine
{
    public static long Value(string line) => (long)Double(line);

    public static double Double(string line) =>
        double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
}
