using HealthcareOrleans.Lake.Log;
using HealthcareOrleans.Lake.Storage;

namespace HealthcareOrleans.Lake;

/// <summary>Finds the Delta tables under a lake root: every folder that has a <c>_delta_log</c> with at least one commit.</summary>
public static class LakeCatalog
{
    public static async Task<IReadOnlyList<string>> ListTablesAsync(ILakeStorage storage, string prefix = "", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        SortedSet<string> tables = new(StringComparer.Ordinal);
        const string marker = "/" + DeltaLogPaths.LogFolder + "/";
        await foreach (var file in storage.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            var path = "/" + file.Path;
            var index = path.IndexOf(marker, StringComparison.Ordinal);
            if (index < 0)
            {
                continue;
            }

            var name = path[(index + marker.Length)..];
            if (DeltaLogPaths.TryParseCommitVersion(name) is not null || DeltaLogPaths.TryParseCheckpoint(name) is not null)
            {
                tables.Add(path[1..index].TrimStart('/'));
            }
        }

        return [.. tables];
    }
}
