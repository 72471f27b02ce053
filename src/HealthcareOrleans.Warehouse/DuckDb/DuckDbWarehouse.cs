using DuckDB.NET.Data;
using HealthcareOrleans.Warehouse.Model;

namespace HealthcareOrleans.Warehouse.DuckDb;

/// <summary>
/// The embedded warehouse file. DuckDB lets one process write a file, or several read it, never both at once
/// (DuckDB docs, concurrency), so the loader holds a connection only for the length of a load and readers (the
/// <c>hc warehouse query</c> command) open read-only and wait a little when a load holds the file.
/// </summary>
public static class DuckDbWarehouse
{
    private static readonly TimeSpan[] LockBackoff = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(800), TimeSpan.FromMilliseconds(1600), TimeSpan.FromMilliseconds(3200)];

    /// <summary>$HC_DATA_DIR/warehouse.duckdb, with HC_DATA_DIR defaulting to ./data as for the lake.</summary>
    public static string DefaultPath() =>
        Path.Combine(Environment.GetEnvironmentVariable("HC_DATA_DIR") is { Length: > 0 } dataDir ? dataDir : "./data", "warehouse.duckdb");

    /// <summary>
    /// Opens the file, waiting with exponential backoff (about 6 s in all) while another process holds its lock.
    /// Sessions run in UTC: Gold's timestamps are UTC instants and the warehouse stores their UTC wall clock.
    /// </summary>
    public static async Task<DuckDBConnection> OpenAsync(string path, bool readOnly, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (readOnly && !File.Exists(full))
        {
            throw new FileNotFoundException($"The warehouse {full} does not exist yet. Start the silo (it creates and loads it), or pass --warehouse with the right file.", full);
        }

        if (!readOnly)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        }

        var connectionString = $"Data Source={full}" + (readOnly ? ";ACCESS_MODE=READ_ONLY" : string.Empty);
        for (var attempt = 0; ; attempt++)
        {
            DuckDBConnection connection = new(connectionString);
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, "SET TimeZone = 'UTC'", cancellationToken).ConfigureAwait(false);
                return connection;
            }
            catch (DuckDBException e) when (IsLocked(e) && attempt < LockBackoff.Length)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                await Task.Delay(LockBackoff[attempt], cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>
    /// Opens the file for users' ad-hoc SQL (<c>hc warehouse query</c>): read-only, and with DuckDB's external access
    /// off, so a query can neither read nor write any other file (<c>read_csv</c>, <c>COPY … TO</c>, <c>ATTACH</c>,
    /// extensions), and the configuration locked so that no <c>SET</c> in the query can turn either back on.
    /// </summary>
    public static async Task<DuckDBConnection> OpenForQueriesAsync(string path, CancellationToken cancellationToken = default)
    {
        var connection = await OpenAsync(path, readOnly: true, cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, "SET enable_external_access = false", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, "SET lock_configuration = true", cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates what is missing of the star schema, staging and load log, and (re)creates the views.</summary>
    public static async Task EnsureSchemaAsync(DuckDBConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await ExecuteAsync(connection, SqlScripts.Read("duckdb/create_star_schema.sql"), cancellationToken).ConfigureAwait(false);
        foreach (var view in SqlScripts.List("duckdb/views/"))
        {
            await ExecuteAsync(connection, SqlScripts.Read(view), cancellationToken).ConfigureAwait(false);
        }
    }

    internal static async Task<int> ExecuteAsync(DuckDBConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<long> ScalarAsync(DuckDBConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static bool IsLocked(DuckDBException e) =>
        e.Message.Contains("Could not set lock", StringComparison.OrdinalIgnoreCase);
}
