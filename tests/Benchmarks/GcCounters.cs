namespace HealthcareOrleans.Benchmarks;

/// <summary>
/// The silo's own garbage-collector totals, from the .NET runtime meter ("System.Runtime") its Prometheus
/// <c>/metrics</c> exports: bytes allocated since start (every thread) and time spent in GC pauses.
/// </summary>
internal sealed record GcCounters(long AllocatedBytes, double PauseSeconds)
{
    private const string Allocated = "dotnet_gc_heap_total_allocated_bytes_total{";
    private const string Pause = "dotnet_gc_pause_time_seconds_total{";

    public static GcCounters? Parse(string prometheusText)
    {
        long? allocated = null;
        double? pause = null;
        foreach (var line in prometheusText.Split('\n'))
        {
            if (line.StartsWith(Allocated, StringComparison.Ordinal))
            {
                allocated = PrometheusLine.Value(line);
            }
            else if (line.StartsWith(Pause, StringComparison.Ordinal))
            {
                pause = PrometheusLine.Double(line);
            }
        }

        return allocated is { } a && pause is { } p ? new GcCounters(a, p) : null;
    }
}
