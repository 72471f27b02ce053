using System.Globalization;

namespace HealthcareOrleans.Lake.Log;

/// <summary>File naming inside <c>_delta_log</c> (PROTOCOL.md "Delta Log Entries" and "Checkpoints").</summary>
public static class DeltaLogPaths
{
    public const string LogFolder = "_delta_log";
    public const string LastCheckpointFile = "_last_checkpoint";

    /// <summary>"A delta file, n.json, contains an atomic set of actions ... n is zero-padded to 20 digits."</summary>
    public static string CommitFileName(long version) => version.ToString("D20", CultureInfo.InvariantCulture) + ".json";

    /// <summary>A classic single-part checkpoint: "n.checkpoint.parquet".</summary>
    public static string CheckpointFileName(long version) => version.ToString("D20", CultureInfo.InvariantCulture) + ".checkpoint.parquet";

    /// <summary>The version of a commit file name, or null when the name is not one.</summary>
    public static long? TryParseCommitVersion(string fileName) =>
        fileName.Length == 25 && fileName.EndsWith(".json", StringComparison.Ordinal) && long.TryParse(fileName.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v
            : null;

    /// <summary>
    /// Parses a checkpoint file name: "n.checkpoint.parquet" (single part, parts = 1) or
    /// "n.checkpoint.o.p.parquet" (part o of p). Returns null for anything else.
    /// </summary>
    public static (long Version, int Part, int Parts)? TryParseCheckpoint(string fileName)
    {
        if (fileName.Length < 20 || !fileName.EndsWith(".parquet", StringComparison.Ordinal)
            || !long.TryParse(fileName.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return null;
        }

        var rest = fileName[20..^".parquet".Length];
        if (rest == ".checkpoint")
        {
            return (version, 1, 1);
        }

        var pieces = rest.Split('.');
        return pieces.Length == 4 && pieces[1] == "checkpoint"
            && int.TryParse(pieces[2], NumberStyles.None, CultureInfo.InvariantCulture, out var part)
            && int.TryParse(pieces[3], NumberStyles.None, CultureInfo.InvariantCulture, out var parts)
            ? (version, part, parts)
            : null;
    }
}
