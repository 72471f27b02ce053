using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Storage;

namespace HealthcareOrleans.Benchmarks;

/// <summary>
/// How long an event waits between its broker append and the Bronze commit that makes it durable, read from a lake
/// the engine wrote: each commit's time (commitInfo) minus the broker timestamp of every row it added.
/// </summary>
public static class BronzeFreshness
{
    public static async Task RunAsync(string lakeRoot)
    {
        var table = await DeltaTable.OpenAsync(new LocalLakeStorage(lakeRoot), "bronze/patient_flow_raw");
        var history = (await table.HistoryAsync()).ToDictionary(h => h.Version, h => h.Timestamp);
        var latest = history.Keys.Max();
        var waits = new List<double>();
        foreach (var commit in await table.GetChangesAsync(0, latest))
        {
            foreach (var file in commit.AddedFiles)
            {
                var batch = await table.ReadFileAsync(file, columns: ["broker_timestamp"]);
                foreach (var appended in batch.Column<DateTimeOffset?>("broker_timestamp"))
                {
                    waits.Add((history[commit.Version] - appended!.Value).TotalMilliseconds);
                }
            }
        }

        waits.Sort();
        Console.WriteLine($"Bronze freshness over {waits.Count:N0} rows in {history.Count:N0} commits: p50 {Percentile(waits, 0.50):N0} ms, p99 {Percentile(waits, 0.99):N0} ms, max {waits[^1]:N0} ms");
    }

    private static double Percentile(List<double> sorted, double q) => sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(q * sorted.Count) - 1)];
}
