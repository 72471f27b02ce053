using System.Globalization;
using HealthcareOrleans.Contracts.Lake;
using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Storage;

namespace HealthcareOrleans.Gold.Tests.Support;

/// <summary>The six Gold tables as sorted text rows and their versions: what two lakes are compared by.</summary>
internal sealed record GoldContent(IReadOnlyDictionary<string, IReadOnlyList<string>> Rows, IReadOnlyDictionary<string, long> Versions)
{
    public static readonly string[] Tables =
    [
        LakeTables.GoldDimPatient, LakeTables.GoldDimWard, LakeTables.GoldDimDate,
        LakeTables.GoldFactWardStay, LakeTables.GoldFactEncounter, LakeTables.GoldFactWardCensusHourly,
    ];

    public static async Task<GoldContent> ReadAsync(ILakeStorage storage)
    {
        var rows = new Dictionary<string, IReadOnlyList<string>>();
        var versions = new Dictionary<string, long>();
        foreach (var path in Tables)
        {
            var table = await DeltaTable.OpenAsync(storage, path);
            var batch = await table.ReadAsync();
            rows[path] = [.. batch.Rows.Select(r => string.Join("|", batch.Columns.Select(c => $"{c.Name}={Text(r[c.Name])}"))).Order(StringComparer.Ordinal)];
            versions[path] = table.Version;
        }

        return new GoldContent(rows, versions);
    }

    /// <summary>The first difference between two lakes' Gold rows, or null when every table holds the same rows.</summary>
    public string? FirstDifference(GoldContent other)
    {
        foreach (var table in Tables)
        {
            var mine = Rows[table];
            var theirs = other.Rows[table];
            if (!mine.SequenceEqual(theirs))
            {
                var onlyMine = mine.Except(theirs).FirstOrDefault();
                var onlyTheirs = theirs.Except(mine).FirstOrDefault();
                return $"{table}: {mine.Count} rows vs {theirs.Count}; only here: {onlyMine ?? "-"}; only there: {onlyTheirs ?? "-"}";
            }
        }

        return null;
    }

    private static string Text(object? value) => value switch
    {
        null => "null",
        DateTimeOffset t => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
