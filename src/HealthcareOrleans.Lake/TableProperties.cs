using System.Globalization;
using HealthcareOrleans.Lake.Log;

namespace HealthcareOrleans.Lake;

/// <summary>The Delta table properties (metaData.configuration) this library honours.</summary>
public static class TableProperties
{
    /// <summary>Write a checkpoint every N commits (Delta's default is 10).</summary>
    public const string CheckpointInterval = "delta.checkpointInterval";

    /// <summary>Writer version 2 feature: "delta.appendOnly=true" forbids removing data.</summary>
    public const string AppendOnly = "delta.appendOnly";

    /// <summary>How long removed files stay restorable (time travel) before vacuum may delete them; default "interval 1 week".</summary>
    public const string DeletedFileRetentionDuration = "delta.deletedFileRetentionDuration";

    public const int DefaultCheckpointInterval = 10;

    public static readonly TimeSpan DefaultDeletedFileRetention = TimeSpan.FromHours(168);

    internal static int GetCheckpointInterval(DeltaSnapshot snapshot)
    {
        var text = snapshot.GetProperty(CheckpointInterval);
        if (text is null)
        {
            return DefaultCheckpointInterval;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var interval) && interval > 0
            ? interval
            : throw new DeltaException($"Table property {CheckpointInterval}='{text}' is not a positive integer.");
    }

    internal static bool IsAppendOnly(DeltaSnapshot snapshot) =>
        string.Equals(snapshot.GetProperty(AppendOnly), "true", StringComparison.OrdinalIgnoreCase);

    internal static TimeSpan GetDeletedFileRetention(DeltaSnapshot snapshot) =>
        snapshot.GetProperty(DeletedFileRetentionDuration) is { } text ? ParseInterval(text) : DefaultDeletedFileRetention;

    /// <summary>Parses Delta's "interval N unit" durations (e.g. "interval 7 days", "interval 168 hours").</summary>
    public static TimeSpan ParseInterval(string text)
    {
        var parts = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var offset = parts.Length > 0 && parts[0].Equals("interval", StringComparison.OrdinalIgnoreCase) ? 1 : 0;
        if (parts.Length - offset != 2 || !long.TryParse(parts[offset], NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            throw new DeltaException($"'{text}' is not a Delta interval such as 'interval 7 days'.");
        }

        return parts[offset + 1].ToLowerInvariant().TrimEnd('s') switch
        {
            "week" => TimeSpan.FromDays(7 * amount),
            "day" => TimeSpan.FromDays(amount),
            "hour" => TimeSpan.FromHours(amount),
            "minute" => TimeSpan.FromMinutes(amount),
            "second" => TimeSpan.FromSeconds(amount),
            "millisecond" => TimeSpan.FromMilliseconds(amount),
            _ => throw new DeltaException($"'{text}' has an unknown unit; use weeks, days, hours, minutes or seconds."),
        };
    }
}
