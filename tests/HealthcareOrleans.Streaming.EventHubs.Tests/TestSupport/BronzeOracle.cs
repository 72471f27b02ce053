using System.Text.Json;
using DuckDB.NET.Data;

namespace HealthcareOrleans.Streaming.EventHubs.Tests.TestSupport;

/// <summary>
/// Bronze as another reader sees it: the live files from replaying the Delta log's JSON commits (add minus remove,
/// PROTOCOL.md "Action Reconciliation"), read with DuckDB — not with the lake's own reader.
/// </summary>
public static class BronzeOracle
{
    public sealed record Row(string Source, string Topic, int Partition, long Offset, string? Key, byte[] Payload);

    public static async Task<List<Row>> ReadAsync(string lakeRoot)
    {
        var table = Path.Combine(lakeRoot, "bronze", "patient_flow_raw");
        var log = Path.Combine(table, "_delta_log");
        if (!Directory.Exists(log))
        {
            return [];
        }

        var live = new HashSet<string>(StringComparer.Ordinal);
        var commits = Directory.GetFiles(log, "*.json").OrderBy(f => f, StringComparer.Ordinal).ToList();
        for (var version = 0; version < commits.Count; version++)
        {
            var expected = Path.Combine(log, $"{version:D20}.json");
            Assert.True(commits[version] == expected, $"The Delta log has a gap before {commits[version]}");
            foreach (var line in await File.ReadAllLinesAsync(commits[version]))
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                using var action = JsonDocument.Parse(line);
                if (action.RootElement.TryGetProperty("add", out var add))
                {
                    live.Add(Uri.UnescapeDataString(add.GetProperty("path").GetString()!));
                }
                else if (action.RootElement.TryGetProperty("remove", out var remove))
                {
                    live.Remove(Uri.UnescapeDataString(remove.GetProperty("path").GetString()!));
                }
            }
        }

        if (live.Count == 0)
        {
            return [];
        }

        var files = string.Join(", ", live.Select(p => "'" + Path.Combine(table, p).Replace("'", "''", StringComparison.Ordinal) + "'"));
        using var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = $"""SELECT source, topic, "partition", "offset", "key", payload FROM read_parquet([{files}], hive_partitioning = false)""";
        var rows = new List<Row>();
        using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new Row(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetInt32(2),
                reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? [] : ReadBytes(reader, 5)));
        }

        return rows;
    }

    private static byte[] ReadBytes(System.Data.Common.DbDataReader reader, int ordinal)
    {
        using var stream = reader.GetStream(ordinal);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
