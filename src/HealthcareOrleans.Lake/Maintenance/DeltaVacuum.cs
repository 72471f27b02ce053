using HealthcareOrleans.Lake.Partitioning;

namespace HealthcareOrleans.Lake.Maintenance;

/// <summary>
/// VACUUM: deletes data files that no version inside the retention period references and that are older than the
/// retention, including orphans left by writers that crashed before committing. Files the current version or any
/// unexpired tombstone names are always kept, so time travel to any retained version keeps working.
/// </summary>
public static class DeltaVacuum
{
    public static async Task<VacuumResult> VacuumAsync(this DeltaTable table, VacuumOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        options ??= new VacuumOptions();
        options.Validate();
        var snapshot = await table.RefreshAsync(cancellationToken).ConfigureAwait(false);
        var tableRetention = TableProperties.GetDeletedFileRetention(snapshot);
        var retention = options.Retention ?? tableRetention;
        if (options.EnforceRetentionCheck && retention < tableRetention)
        {
            throw new DeltaException(
                $"A vacuum retention of {retention.TotalHours:0.##} h is shorter than the table's {tableRetention.TotalHours:0.##} h ({TableProperties.DeletedFileRetentionDuration}); it could delete files that readers of recent versions or running writers still need. Use at least {tableRetention.TotalHours:0.##} h.");
        }

        var cutoff = table.Options.TimeProvider.GetUtcNow() - retention;
        var cutoffMs = cutoff.ToUnixTimeMilliseconds();
        // Needed: everything active now, and everything removed within the retention period (older versions that
        // may still be read through time travel reference those files).
        HashSet<string> needed = new(StringComparer.Ordinal);
        foreach (var file in snapshot.ActiveFiles)
        {
            needed.Add(PartitionPath.FromUri(file.Path));
        }

        foreach (var tombstone in snapshot.Tombstones)
        {
            if ((tombstone.DeletionTimestamp ?? long.MaxValue) >= cutoffMs)
            {
                needed.Add(PartitionPath.FromUri(tombstone.Path));
            }
        }

        var prefix = table.Log.TablePath.Length == 0 ? string.Empty : table.Log.TablePath + "/";
        List<string> deleted = [];
        long deletedBytes = 0;
        var kept = 0;
        await foreach (var file in table.Log.Storage.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            var relative = file.Path[prefix.Length..];
            if (IsHidden(relative))
            {
                continue;
            }

            if (needed.Contains(relative) || file.LastModified >= cutoff)
            {
                kept++;
                continue;
            }

            if (!options.DryRun)
            {
                await table.Log.Storage.DeleteAsync(file.Path, cancellationToken).ConfigureAwait(false);
            }

            deleted.Add(relative);
            deletedBytes += file.Size;
        }

        return new VacuumResult(deleted, deletedBytes, kept, options.DryRun);
    }

    /// <summary>
    /// Delta's vacuum leaves alone the log and every path segment starting with '_' or '.' (other than a partition
    /// folder "col=value"), which is where engines keep metadata, not data files.
    /// </summary>
    private static bool IsHidden(string relative) =>
        relative.Split('/').Any(segment => (segment.StartsWith('_') || segment.StartsWith('.')) && !segment.Contains('=', StringComparison.Ordinal));
}
