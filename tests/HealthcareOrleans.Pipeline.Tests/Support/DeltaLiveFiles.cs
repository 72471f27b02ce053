using System.Text.Json;

namespace HealthcareOrleans.Pipeline.Tests.Support;

/// <summary>
/// The live data files of a Delta table, read from its JSON commits by this test's own code (Delta PROTOCOL.md: the
/// files of a version are the adds of all commits up to it not removed by a later remove), not by the project's reader.
/// </summary>
public static class DeltaLiveFiles
{
    public static List<string> Of(string tableFolder)
    {
        var log = Path.Combine(tableFolder, "_delta_log");
        var commits = Directory.GetFiles(log, "*.json").Order(StringComparer.Ordinal).ToList();
        for (var i = 0; i < commits.Count; i++)
        {
            Assert.Equal($"{i:D20}.json", Path.GetFileName(commits[i]));
        }

        var live = new HashSet<string>(StringComparer.Ordinal);
        foreach (var commit in commits)
        {
            foreach (var line in File.ReadLines(commit).Where(l => l.Length > 0))
            {
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

        return [.. live.Order(StringComparer.Ordinal).Select(p => Path.Combine(tableFolder, p))];
    }

    /// <summary>A DuckDB <c>read_parquet</c> over the live files; the table must have some.</summary>
    public static string ReadParquet(string tableFolder)
    {
        var files = Of(tableFolder);
        Assert.NotEmpty(files);
        return $"read_parquet([{string.Join(", ", files.Select(f => "'" + f.Replace("'", "''", StringComparison.Ordinal) + "'"))}], union_by_name = true)";
    }
}
