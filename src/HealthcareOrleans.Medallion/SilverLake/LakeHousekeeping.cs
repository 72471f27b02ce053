using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Maintenance;
using HealthcareOrleans.Medallion.Lake;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Medallion.SilverLake;

/// <summary>
/// Compaction every <see cref="LakeOptions.CompactionInterval"/> and vacuum every <see cref="LakeOptions.VacuumInterval"/>
/// for Bronze and Silver. Run by the Silver flush grain because it is the one always-on singleton of these tables:
/// Silver's tables have no other committer, and compaction of Bronze is a rearrangement (dataChange = false, reading
/// nothing) that never conflicts with the silos' concurrent appends. Failures are logged and retried next time; they
/// never fail a flush. The schedule restarts with each activation: at worst one interval later than planned.
/// </summary>
public sealed partial class LakeHousekeeping(IOptions<LakeOptions> options, TimeProvider clock, ILogger<LakeHousekeeping> logger)
{
    private readonly LakeOptions _options = options.Value;
    private DateTimeOffset? _nextCompaction;
    private DateTimeOffset? _nextVacuum;

    public async Task RunIfDueAsync(IReadOnlyList<DeltaTable> tables, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        _nextCompaction ??= now + _options.CompactionInterval;
        _nextVacuum ??= now + _options.VacuumInterval;
        if (now >= _nextCompaction)
        {
            _nextCompaction = now + _options.CompactionInterval;
            foreach (var table in tables)
            {
                try
                {
                    var result = await table.OptimizeAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                    LogCompacted(logger, table.Log.TablePath, result.FilesRemoved, result.FilesAdded);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(logger, "compaction", table.Log.TablePath, ex);
                }
            }
        }

        if (now >= _nextVacuum)
        {
            _nextVacuum = now + _options.VacuumInterval;
            foreach (var table in tables)
            {
                try
                {
                    var result = await table.VacuumAsync(new VacuumOptions { Retention = _options.VacuumRetention }, cancellationToken).ConfigureAwait(false);
                    LogVacuumed(logger, table.Log.TablePath, result.DeletedFiles.Count, result.DeletedBytes);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(logger, "vacuum", table.Log.TablePath, ex);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Lake {Table}: compacted {Removed} files into {Added}")]
    private static partial void LogCompacted(ILogger logger, string table, int removed, int added);

    [LoggerMessage(Level = LogLevel.Information, Message = "Lake {Table}: vacuum deleted {Files} files ({Bytes} bytes)")]
    private static partial void LogVacuumed(ILogger logger, string table, int files, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lake {Table}: {Operation} failed; retried at the next interval")]
    private static partial void LogFailed(ILogger logger, string operation, string table, Exception ex);
}
