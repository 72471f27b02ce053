using System.Globalization;

namespace HealthcareOrleans.Benchmarks;

/// <summary>
/// One of the engine's own latency histograms as the silo's Prometheus endpoint exposes it: cumulative counts per
/// upper bound in ms. <c>hc.events.latency</c> (broker timestamp → event applied in the patient grain, every event) by
/// default; the stages around it by name (<see cref="Stages"/>). Two scrapes subtracted give the events of one phase;
/// percentiles are read off the bucket bounds (an upper bound).
/// </summary>
internal sealed record LatencyHistogram(IReadOnlyList<(double UpperBoundMs, long Count)> Buckets)
{
    private const string MetricPrefix = "hc_events_latency";

    /// <summary>Each stage of an event's way, in order, with the Prometheus name of its histogram (broker append → the stage).</summary>
    public static readonly IReadOnlyList<(string Stage, string Metric)> Stages =
    [
        ("fetched by the receiver", "hc_stage_fetched"),
        ("delivery of its read begun", "hc_stage_delivering"),
        ("applied by its patient", MetricPrefix),
        ("its read's ward updates applied", "hc_stage_wards_applied"),
    ];

    public long Count => Buckets.Count == 0 ? 0 : Buckets[^1].Count;

    public static LatencyHistogram Parse(string prometheusText, string metricPrefix = MetricPrefix)
    {
        var counts = new SortedDictionary<double, long>();
        foreach (var line in prometheusText.Split('\n'))
        {
            if (!line.StartsWith(metricPrefix + "_", StringComparison.Ordinal) || !line.Contains("_bucket{", StringComparison.Ordinal))
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
