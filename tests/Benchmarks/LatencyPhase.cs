namespace HealthcareOrleans.Benchmarks;

/// <param name="AchievedRate">Load messages produced per second of the phase.</param>
/// <param name="Latencies">Probe latencies in ms, sorted; ∞ for a probe never seen within a minute.</param>
/// <param name="LagAfter">Messages not yet read when the phase ended (its last probe seen, which may be after the load stopped).</param>
/// <param name="Engine">The engine's own histogram over every event applied during the phase.</param>
/// <param name="StartedAt">When the load started, so the phase's Bronze rows can be told by their broker timestamps.</param>
/// <param name="EndedAt">When the load and the probes ended.</param>
internal sealed record LatencyPhase(
    double TargetRate, double AchievedRate, List<double> Latencies, LatencyHistogram Engine, double SiloCpuCores, double HarnessCpuCores, long LagAfter, long MessagesSkipped,
    DateTimeOffset StartedAt, DateTimeOffset EndedAt)
{
    /// <summary>Broker append → Bronze commit of the rows appended during the phase, sorted; empty until measured.</summary>
    public List<double> BronzeWaits { get; init; } = [];

    /// <summary>The engine's histogram of each stage of <see cref="LatencyHistogram.Stages"/> over the phase, in that order.</summary>
    public IReadOnlyList<LatencyHistogram> Stages { get; init; } = [];

    public double Percentile(double q) => Percentiles.Of(Latencies, q);

    /// <summary>The phase with the Bronze freshness of the rows appended during it.</summary>
    public LatencyPhase WithBronze(IEnumerable<BronzeRowFreshness> rows) => this with
    {
        BronzeWaits = [.. rows.Where(r => r.AppendedAt >= StartedAt && r.AppendedAt < EndedAt).Select(r => r.WaitMilliseconds).Order()],
    };

    /// <summary>Every figure of the phase, each row named after <paramref name="at"/> (e.g. "at 1,000/s").</summary>
    public void AddFigures(FigureTable table, string at)
    {
        table.Add($"{at}: produced (events/s)", AchievedRate);
        table.Add($"{at}: p50 (ms)", Percentile(0.5), "N1");
        table.Add($"{at}: p99 (ms)", Percentile(0.99), "N1");
        table.Add($"{at}: p99.9 (ms)", Percentile(0.999), "N1");
        table.Add($"{at}: max (ms)", Latencies[^1], "N1");
        table.Add($"{at}: engine histogram, all events: p50 bucket bound (ms)", Engine.Percentile(0.5), "N0");
        table.Add($"{at}: engine histogram, all events: p99 bucket bound (ms)", Engine.Percentile(0.99), "N0");
        table.Add($"{at}: engine histogram, all events: share within 20 ms (%)", Engine.ShareWithin(20) * 100, "N1");
        for (var i = 0; i < Stages.Count; i++)
        {
            var stage = LatencyHistogram.Stages[i].Stage;
            table.Add($"{at}: stage, broker append → {stage}: p50 bucket bound (ms)", Stages[i].Percentile(0.5), "N0");
            table.Add($"{at}: stage, broker append → {stage}: p99 bucket bound (ms)", Stages[i].Percentile(0.99), "N0");
        }

        if (BronzeWaits.Count > 0)
        {
            table.Add($"{at}: Bronze freshness, broker append → Bronze commit: p50 (ms)", Percentiles.Of(BronzeWaits, 0.5), "N0");
            table.Add($"{at}: Bronze freshness: p99 (ms)", Percentiles.Of(BronzeWaits, 0.99), "N0");
            table.Add($"{at}: Bronze freshness: rows", BronzeWaits.Count);
        }

        table.Add($"{at}: silo CPU (cores)", SiloCpuCores, "N2");
        table.Add($"{at}: broker lag when the phase ended, last probe seen (messages)", LagAfter);
        table.Add($"{at}: messages skipped (must be 0)", MessagesSkipped);
    }

    public override string ToString() =>
        $"produced {AchievedRate:N0}/s, {Latencies.Count} probes, p50 {Percentile(0.5):N1} ms, p99 {Percentile(0.99):N1} ms, p99.9 {Percentile(0.999):N1} ms, max {Latencies[^1]:N1} ms; engine histogram: {Engine.Count:N0} events, p50 ≤ {Engine.Percentile(0.5):N0} ms, p99 ≤ {Engine.Percentile(0.99):N0} ms, {Engine.ShareWithin(20):P1} within 20 ms; " +
        string.Concat(Stages.Select((h, i) => $"→ {LatencyHistogram.Stages[i].Stage} p50 ≤ {h.Percentile(0.5):N0} ms, p99 ≤ {h.Percentile(0.99):N0} ms; ")) +
        (BronzeWaits.Count == 0 ? string.Empty : $"Bronze freshness p50 {Percentiles.Of(BronzeWaits, 0.5):N0} ms, p99 {Percentiles.Of(BronzeWaits, 0.99):N0} ms over {BronzeWaits.Count:N0} rows; ") +
        $"silo CPU {SiloCpuCores:N2} cores, harness CPU {HarnessCpuCores:N2} cores, lag at end {LagAfter:N0}, skipped {MessagesSkipped:N0}";
}
