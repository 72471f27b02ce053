using System.Globalization;

namespace HealthcareOrleans.Benchmarks;

/// <summary>
/// The engine's own latency histogram, <c>hc.events.latency</c> (broker timestamp → event applied in the patient
/// grain, every event), as the silo's Prometheus endpoint exposes it: cumulative counts per upper bound in ms. Two
/// scrapes subtracted give the events of one phase; percentiles are read off the bucket bounds (an upper bound).
/// </summary>
internal sealed record LatencyHistogram(IReadOnlyList<(double UpperBoundMs, long Count)> Buckets)
{
    private const string MetricPrefix = "hc_events_latency";

    public long Count => Buckets.Count == 0 ? 0 : Buckets[^1].Count;

    public static LatencyHistogram Parse(string prometheusText)
    {
        var counts = new SortedDictionary<double, long>();
        foreach (var line in prometheusText.Split('\n'))
        {
            if (!line.StartsWith(MetricPrefix, StringComparison.Ordinal) || !line.Contains("_bucket{", StringComparison.Ordinal))
            {
                continue;
            }

            var le = line.IndexOf("le=\"", StringComparison.Ordinal) + 4;
            var bound = line[le..line.IndexOf('"', le)];
            var upper = bound == "+Inf" ? double.PositiveInfinity : double.Parse(bound, CultureInfo.InvariantCulture);
            var value = PrometheusLine.Value(line);
            counts[upper] = counts.GetValueOrDefault(upper) + value;
        }

        return new LatencyHistogram([.. counts.Select(c => (c.Key, c.Value))]);
    }

    public LatencyHistogram Minus(LatencyHistogram earlier) =>
        new([.. Buckets.Select(b => (b.UpperBoundMs, b.Count - earlier.Buckets.FirstOrDefault(e => e.UpperBoundMs == b.UpperBoundMs).Count))]);

    /// <summary>The smallest bucket bound at or below which a share <paramref name="q"/> of the events fell.</summary>
    public double Percentile(double q)
    {
        var target = Math.Ceiling(q * Count);
        return Count == 0 ? double.NaN : Buckets.First(b => b.Count >= target).UpperBoundMs;
    }

    /// <summary>Share of events applied within <paramref name="boundMs"/> (which must be a bucket bound).</summary>
    public double ShareWithin(double boundMs) =>
        Count == 0 ? double.NaN : Buckets.FirstOrDefault(b => b.UpperBoundMs == boundMs).Count / (double)Count;
}
