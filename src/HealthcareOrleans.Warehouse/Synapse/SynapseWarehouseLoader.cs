using System.Diagnostics;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Warehouse.Loading;
using HealthcareOrleans.Warehouse.Model;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthcareOrleans.Warehouse.Synapse;

/// <summary>
/// Loads the Gold tables into an Azure Synapse dedicated SQL pool. Per table, retried as a whole on transient errors:
/// skip when etl.load_log already records the Gold version; else create a staging table for this load (CTAS), fill
/// it (COPY INTO from the lake, or SqlBulkCopy), refuse duplicate natural keys, then in one transaction re-check the
/// load log (another loader may have been faster), delete vanished rows, close SCD2 versions, update changed rows,
/// insert new ones and append the load-log row; finally refresh statistics and drop the staging table.
/// </summary>
public sealed partial class SynapseWarehouseLoader : IWarehouseLoader
{
    private readonly SynapseOptions _options;
    private readonly SynapseConnectionFactory _connections;
    private readonly SqlRetryPolicy _retry;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public SynapseWarehouseLoader(SynapseOptions options, SynapseConnectionFactory connections, ILogger<SynapseWarehouseLoader>? logger = null, TimeProvider? time = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _connections = connections ?? throw new ArgumentNullException(nameof(connections));
        _logger = logger ?? NullLogger<SynapseWarehouseLoader>.Instance;
        _time = time ?? TimeProvider.System;
        _retry = new SqlRetryPolicy(options, _logger, _time);
    }

    public string Kind => "synapse";

    private int Timeout => (int)_options.CommandTimeout.TotalSeconds;

    public Task EnsureSchemaAsync(CancellationToken cancellationToken = default) =>
        _retry.ExecuteAsync("schema check", async ct =>
        {
            await using var connection = await _connections.OpenAsync(ct).ConfigureAwait(false);
            await using var command = Command(connection, SynapseStatements.CountSchemaObjects);
            var found = Convert.ToInt32(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            if (found < SynapseStatements.SchemaObjectCount)
            {
                throw new WarehouseSchemaException(
                    $"The Synapse pool has {found} of the {SynapseStatements.SchemaObjectCount} warehouse tables (dw.*, stg.*, etl.load_log). " +
                    "Run sql/synapse/create_star_schema.sql and then sql/synapse/views/*.sql against it (sqlcmd -i, or SSMS), then start again.");
            }

            return found;
        }, cancellationToken);

    public async Task<WarehouseLoadResult> LoadAsync(ILakeStorage lake, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lake);
        List<TableLoadResult> results = [];
        List<string> missing = [];
        foreach (var table in WarehouseSchema.All)
        {
            if (await GoldSource.OpenAsync(lake, table, cancellationToken).ConfigureAwait(false) is not { } gold)
            {
                missing.Add(table.Name);
                continue;
            }

            results.Add(await _retry.ExecuteAsync("load of " + table.Name, ct => LoadTableAsync(gold, ct), cancellationToken).ConfigureAwait(false));
        }

        return new WarehouseLoadResult(results, missing);
    }

    /// <summary>Every statement a load of <paramref name="gold"/> would run, in order (for review and for the parse tests).</summary>
    public IReadOnlyList<string> PlanStatements(GoldTableVersion gold, string loadId)
    {
        ArgumentNullException.ThrowIfNull(gold);
        var table = gold.Table;
        List<string> plan = [SynapseStatements.LoadedVersion, SynapseStatements.CreateStaging(table, loadId)];
        if (_options.LoadPath == SynapseLoadPath.CopyInto && gold.Files.Count > 0)
        {
            plan.AddRange(SynapseStaging.CopyIntoStatements(gold, loadId, _options));
        }

        plan.AddRange([SynapseStatements.CountStaged(table, loadId), SynapseStatements.CountDuplicateKeys(table, loadId), SynapseStatements.DeleteVanished(table, loadId)]);
        if (table.IsScd2)
        {
            plan.Add(SynapseStatements.CloseScd2Versions(table, loadId));
        }

        plan.AddRange([SynapseStatements.UpdateChanged(table, loadId), SynapseStatements.InsertNew(table, loadId), SynapseStatements.AppendLoadLog,
            SynapseStatements.UpdateStatistics(table), SynapseStatements.DropStaging(table, loadId)]);
        return plan;
    }

    private async Task<TableLoadResult> LoadTableAsync(GoldTableVersion gold, CancellationToken cancellationToken)
    {
        var table = gold.Table;
        await using var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (await LoadedVersionAsync(connection, null, table, cancellationToken).ConfigureAwait(false) is { } loaded && loaded.Covers(gold))
        {
            return TableLoadResult.Unchanged(table.Name, loaded.Version);
        }

        var clock = Stopwatch.StartNew();
        var loadId = Guid.NewGuid().ToString("N");
        await ExecuteAsync(connection, null, SynapseStatements.CreateStaging(table, loadId), cancellationToken).ConfigureAwait(false);
        try
        {
            if (_options.LoadPath == SynapseLoadPath.CopyInto)
            {
                foreach (var copy in SynapseStaging.CopyIntoStatements(gold, loadId, _options))
                {
                    await ExecuteAsync(connection, null, copy, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                await SynapseStaging.BulkCopyAsync(connection, gold, loadId, _options, cancellationToken).ConfigureAwait(false);
            }

            var staged = await ScalarAsync(connection, null, SynapseStatements.CountStaged(table, loadId), cancellationToken).ConfigureAwait(false);
            if (gold.Snapshot.RowCount is { } expected && expected != staged)
            {
                throw new InvalidOperationException($"Staging {table.Name} received {staged} rows of Gold version {gold.Version}, whose files hold {expected}; nothing was changed.");
            }

            var duplicates = await ScalarAsync(connection, null, SynapseStatements.CountDuplicateKeys(table, loadId), cancellationToken).ConfigureAwait(false);
            if (duplicates > 0)
            {
                // Primary keys are NOT ENFORCED in a dedicated pool: this check is what keeps keys unique.
                throw new WarehouseSchemaException($"Gold table {table.GoldPath} version {gold.Version} has {duplicates} natural key value(s) of {table.Name} on more than one row; the warehouse keeps its previous version.");
            }

            var result = await ApplyAsync(connection, gold, loadId, staged, cancellationToken).ConfigureAwait(false);
            if (result.Changed)
            {
                await ExecuteAsync(connection, null, SynapseStatements.UpdateStatistics(table), cancellationToken).ConfigureAwait(false);
            }

            LogLoaded(table.Name, result.GoldVersion, result.Staged, result.Inserted, result.Updated, result.Closed, result.Deleted, clock.Elapsed.TotalMilliseconds);
            return result with { Duration = clock.Elapsed };
        }
        finally
        {
            // Not cancellable: a cancelled load must still not leave its staging table behind.
            await ExecuteAsync(connection, null, SynapseStatements.DropStaging(table, loadId), CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<TableLoadResult> ApplyAsync(SqlConnection connection, GoldTableVersion gold, string loadId, long staged, CancellationToken cancellationToken)
    {
        var table = gold.Table;
        await using var transaction = (SqlTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (await LoadedVersionAsync(connection, transaction, table, cancellationToken).ConfigureAwait(false) is { } loaded && loaded.Covers(gold))
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return TableLoadResult.Unchanged(table.Name, loaded.Version);
        }

        long deleted = await ExecuteAsync(connection, transaction, SynapseStatements.DeleteVanished(table, loadId), cancellationToken).ConfigureAwait(false);
        long closed = table.IsScd2 ? await ExecuteAsync(connection, transaction, SynapseStatements.CloseScd2Versions(table, loadId), cancellationToken).ConfigureAwait(false) : 0;
        long updated = await ExecuteAsync(connection, transaction, SynapseStatements.UpdateChanged(table, loadId), cancellationToken).ConfigureAwait(false);
        long inserted = await ExecuteAsync(connection, transaction, SynapseStatements.InsertNew(table, loadId), cancellationToken).ConfigureAwait(false);
        await using (var log = Command(connection, SynapseStatements.AppendLoadLog, transaction))
        {
            log.Parameters.AddWithValue("@table", table.Name);
            log.Parameters.AddWithValue("@table_id", gold.DeltaTableId);
            log.Parameters.AddWithValue("@version", gold.Version);
            log.Parameters.Add("@loaded_at", System.Data.SqlDbType.DateTime2).Value = _time.GetUtcNow().UtcDateTime;
            log.Parameters.AddWithValue("@load_path", _options.LoadPath == SynapseLoadPath.CopyInto ? "copy_into" : "bulk_copy");
            log.Parameters.AddWithValue("@staged", staged);
            log.Parameters.AddWithValue("@inserted", inserted);
            log.Parameters.AddWithValue("@updated", updated);
            log.Parameters.AddWithValue("@closed", closed);
            log.Parameters.AddWithValue("@deleted", deleted);
            await log.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new TableLoadResult(table.Name, gold.Version, false, staged, inserted, updated, closed, deleted, TimeSpan.Zero);
    }

    private async Task<LoadedVersion?> LoadedVersionAsync(SqlConnection connection, SqlTransaction? transaction, WarehouseTable table, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, SynapseStatements.LoadedVersion, transaction);
        command.Parameters.AddWithValue("@table", table.Name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? new LoadedVersion(reader.GetString(0), reader.GetInt64(1)) : null;
    }

    private async Task<int> ExecuteAsync(SqlConnection connection, SqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql, transaction);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<long> ScalarAsync(SqlConnection connection, SqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql, transaction);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    private SqlCommand Command(SqlConnection connection, string sql, SqlTransaction? transaction = null) =>
        new(sql, connection, transaction) { CommandTimeout = Timeout };

    [LoggerMessage(Level = LogLevel.Information, Message = "Synapse table {Table} now at Gold version {Version}: {Staged} rows staged, {Inserted} inserted, {Updated} updated, {Closed} closed, {Deleted} deleted in {Milliseconds:F0} ms")]
    private partial void LogLoaded(string table, long version, long staged, long inserted, long updated, long closed, long deleted, double milliseconds);
}
