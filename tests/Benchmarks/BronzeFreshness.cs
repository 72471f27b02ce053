using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Storage;

namespace HealthcareOrleans.Benchmarks;

/// <param name="AppendedAt">The row's broker timestamp.</param>
/// <param name="WaitMilliseconds">From that timestamp to the Bronze commit that made the row durable.</param>
internal readonly record struct BronzeRowFreshness(DateTimeOffset AppendedAt, double WaitMilliseconds);

/// <summary>
/// How long an event waits between its broker append and the Bronze commit that makes it durable, read from a lake
/// the engine wrote: each commit's time (commitInfo) minus the broker timestamp of every row it added.
/// </summary>
internal static class BronzeFreshness
{
    public const string TablePath = "bronze/patient_flow_raw";

    /// <summary><c>bronze-freshness &lt;lake folder&gt;</c>: every row of a lake the engine wrote.</summary>
    public static async Task RunAsync(string lakeRoot)
    {
        var rows = await ReadAsync(lakeRoot);
        var waits = rows.Select(r => r.WaitMilliseconds).Order().ToList();
        Console.WriteLine($"Bronze freshness over {waits.Count:N0} rows: p50 {Percentiles.Of(waits, 0.50):N0} ms, p99 {Percentiles.Of(waits, 0.99):N0} ms, max {waits[^1]:N0} ms");
    }

    public static async Task<List<BronzeRowFreshness>> ReadAsync(string lakeRoot)
    {
        var table = await DeltaTable.OpenAsync(new LocalLakeStorage(lakeRoot), TablePath);
        var history = (await table.HistoryAsync()).ToDictionary(h => h.Version, h => h.Timestamp);
        var rows = new List<BronzeRowFreshness>();
        foreach (var commit in await table.GetChangesAsync(0, history.Keys.Max()))
        {
            foreach (var file in commit.AddedFiles)
            {
                var batch = await table.ReadFileAsync(file, columns: ["broker_timestamp"]);
                foreach (var appended in batch.Column<DateTimeOffset?>("broker_timestamp"))
                {
                    rows.Add(new BronzeRowFreshness(appended!.Value, (history[commit.Version] - appended.Value).TotalMilliseconds));
                }
            }
        }

        return rows;
    }
}
