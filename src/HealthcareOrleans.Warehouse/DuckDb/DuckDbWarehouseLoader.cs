using System.Diagnostics;
using DuckDB.NET.Data;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Warehouse.Loading;
using HealthcareOrleans.Warehouse.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthcareOrleans.Warehouse.DuckDb;

/// <summary>
/// Loads the Gold tables into the embedded DuckDB warehouse. Per table: skip when the load log already records this
/// Gold version; else stage the version's rows, refuse duplicate natural keys, and in one transaction delete the rows
/// Gold no longer has, close SCD2 versions, update changed rows, insert new ones and append the load-log row. A crash
/// mid-way rolls the transaction back, and the next load redoes the table.
/// </summary>
public sealed partial class DuckDbWarehouseLoader : IWarehouseLoader, IDisposable
{
    private readonly string _path;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _schemaReady;

    public DuckDbWarehouseLoader(string path, ILogger<DuckDbWarehouseLoader>? logger = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = System.IO.Path.GetFullPath(path);
        _logger = logger ?? NullLogger<DuckDbWarehouseLoader>.Instance;
        _time = time ?? TimeProvider.System;
    }

    public string Kind => "duckdb";

    public string Path => _path;

    public void Dispose() => _gate.Dispose();

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await DuckDbWarehouse.OpenAsync(_path, readOnly: false, cancellationToken).ConfigureAwait(false);
        await DuckDbWarehouse.EnsureSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    public async Task<WarehouseLoadResult> LoadAsync(ILakeStorage lake, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lake);
        // One load at a time per process; DuckDB's file lock keeps other processes out.
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            List<GoldTableVersion> versions = [];
            List<string> missing = [];
            foreach (var table in WarehouseSchema.All)
            {
                if (await GoldSource.OpenAsync(lake, table, cancellationToken).ConfigureAwait(false) is { } gold)
                {
                    versions.Add(gold);
                }
                else
                {
                    missing.Add(table.Name);
                }
            }

            await using var connection = await DuckDbWarehouse.OpenAsync(_path, readOnly: false, cancellationToken).ConfigureAwait(false);
            if (!_schemaReady)
            {
                // Once per loader: the DDL is idempotent but re-creating the views every poll would be wasted work.
                await DuckDbWarehouse.EnsureSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
                _schemaReady = true;
            }

            List<TableLoadResult> results = [];
            foreach (var gold in versions)
            {
                results.Add(await LoadTableAsync(connection, lake, gold, cancellationToken).ConfigureAwait(false));
            }

            return new WarehouseLoadResult(results, missing);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<TableLoadResult> LoadTableAsync(DuckDBConnection connection, ILakeStorage lake, GoldTableVersion gold, CancellationToken cancellationToken)
    {
        var table = gold.Table;
        var loaded = await LoadedVersionAsync(connection, table, cancellationToken).ConfigureAwait(false);
        if (loaded is not null && loaded.Covers(gold))
        {
            return TableLoadResult.Unchanged(table.Name, loaded.Version);
        }

        var clock = Stopwatch.StartNew();
        var (staged, path) = await DuckDbStaging.StageAsync(connection, lake, gold, cancellationToken).ConfigureAwait(false);
        var duplicates = await DuckDbWarehouse.ScalarAsync(connection, DuckDbStatements.CountDuplicateKeys(table), cancellationToken).ConfigureAwait(false);
        if (duplicates > 0)
        {
            throw new WarehouseSchemaException($"Gold table {table.GoldPath} version {gold.Version} has {duplicates} natural key value(s) of {table.Name} on more than one row; the warehouse keeps its previous version.");
        }

        long deleted, closed = 0, updated, inserted;
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            deleted = await DuckDbWarehouse.ExecuteAsync(connection, DuckDbStatements.DeleteVanished(table), cancellationToken).ConfigureAwait(false);
            if (table.IsScd2)
            {
                closed = await DuckDbWarehouse.ExecuteAsync(connection, DuckDbStatements.CloseScd2Versions(table), cancellationToken).ConfigureAwait(false);
            }

            updated = await DuckDbWarehouse.ExecuteAsync(connection, DuckDbStatements.UpdateChanged(table), cancellationToken).ConfigureAwait(false);
            inserted = await DuckDbWarehouse.ExecuteAsync(connection, DuckDbStatements.InsertNew(table), cancellationToken).ConfigureAwait(false);
            await using (var log = connection.CreateCommand())
            {
                log.CommandText = DuckDbStatements.AppendLoadLog;
                log.Parameters.Add(new DuckDBParameter("table", table.Name));
                log.Parameters.Add(new DuckDBParameter("table_id", gold.DeltaTableId));
                log.Parameters.Add(new DuckDBParameter("version", gold.Version));
                log.Parameters.Add(new DuckDBParameter("loaded_at", _time.GetUtcNow().UtcDateTime));
                log.Parameters.Add(new DuckDBParameter("load_path", path));
                log.Parameters.Add(new DuckDBParameter("staged", staged));
                log.Parameters.Add(new DuckDBParameter("inserted", inserted));
                log.Parameters.Add(new DuckDBParameter("updated", updated));
                log.Parameters.Add(new DuckDBParameter("closed", closed));
                log.Parameters.Add(new DuckDBParameter("deleted", deleted));
                await log.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        // Staging is scratch: empty it so the file does not carry a second copy of every table.
        await DuckDbWarehouse.ExecuteAsync(connection, DuckDbStatements.ClearStaging(table), cancellationToken).ConfigureAwait(false);
        var result = new TableLoadResult(table.Name, gold.Version, false, staged, inserted, updated, closed, deleted, clock.Elapsed);
        LogLoaded(table.Name, gold.Version, staged, inserted, updated, closed, deleted, clock.Elapsed.TotalMilliseconds);
        return result;
    }

    internal static async Task<LoadedVersion?> LoadedVersionAsync(DuckDBConnection connection, WarehouseTable table, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = DuckDbStatements.LoadedVersion;
        command.Parameters.Add(new DuckDBParameter("table", table.Name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? new LoadedVersion(reader.GetString(0), reader.GetInt64(1)) : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Warehouse table {Table} now at Gold version {Version}: {Staged} rows staged, {Inserted} inserted, {Updated} updated, {Closed} closed, {Deleted} deleted in {Milliseconds:F0} ms")]
    private partial void LogLoaded(string table, long version, long staged, long inserted, long updated, long closed, long deleted, double milliseconds);
}
