using DuckDB.NET.Data;
using HealthcareOrleans.Warehouse.DuckDb;
using HealthcareOrleans.Warehouse.Tests.Infrastructure;

namespace HealthcareOrleans.Warehouse.Tests;

/// <summary>
/// `hc warehouse query` runs whatever SQL a user types: it must read the warehouse and nothing else, and change
/// nothing. Each escape a curious local user tried is refused with DuckDB's own explanation.
/// </summary>
public sealed class QueryIsolationTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly string _warehouse;
    private readonly string _secret;

    public QueryIsolationTests()
    {
        _warehouse = Path.Combine(_folder.Path, "warehouse.duckdb");
        _secret = Path.Combine(_folder.Path, "api-key");
        File.WriteAllText(_secret, "the-api-key-nobody-may-read\n");
    }

    public static TheoryData<string, string> Escapes => new()
    {
        { "COPY (SELECT * FROM read_csv('{secret}', header = false)) TO '{folder}/x.csv'", "{folder}/x.csv" },
        { "SELECT * FROM read_csv('{secret}', header = false)", "" },
        { "SELECT * FROM read_text('{secret}')", "" },
        { "COPY dw.dim_ward TO '{folder}/wards.parquet' (FORMAT PARQUET)", "{folder}/wards.parquet" },
        { "ATTACH '{folder}/other.duckdb' AS c (READ_WRITE); CREATE TABLE c.t AS SELECT 1", "{folder}/other.duckdb" },
        { "SET enable_external_access = true; COPY (SELECT 1) TO '{folder}/after-set.csv'", "{folder}/after-set.csv" },
        { "SET lock_configuration = false", "" },
        { "RESET enable_external_access", "" },
        { "CREATE TABLE dw.t AS SELECT 1", "" },
        { "DELETE FROM dw.dim_ward", "" },
    };

    [Theory]
    [MemberData(nameof(Escapes))]
    public async Task An_escape_from_the_query_connection_fails_with_a_clear_error_and_leaves_no_file(string template, string sideEffect)
    {
        await CreateWarehouseAsync();
        var sql = Fill(template);
        await using var connection = await DuckDbWarehouse.OpenForQueriesAsync(_warehouse);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;

        var error = await Assert.ThrowsAsync<DuckDBException>(async () =>
        {
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
            }
        });

        Assert.Matches("(?i)permission|read-only|disabled|lock|configuration|cannot", error.Message);
        Assert.DoesNotContain("the-api-key-nobody-may-read", error.Message, StringComparison.Ordinal);
        if (sideEffect.Length > 0)
        {
            Assert.False(File.Exists(Fill(sideEffect)), $"{sql} wrote {Fill(sideEffect)}");
        }
    }

    [Fact]
    public async Task Ordinary_queries_over_the_warehouse_still_answer()
    {
        await CreateWarehouseAsync();
        await using var connection = await DuckDbWarehouse.OpenForQueriesAsync(_warehouse);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM dw.dim_ward; ";
        Assert.Equal(0L, Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        command.CommandText = "SELECT current_setting('TimeZone')";
        Assert.Equal("UTC", await command.ExecuteScalarAsync());
    }

    public void Dispose() => _folder.Dispose();

    private string Fill(string template) => template.Replace("{secret}", _secret, StringComparison.Ordinal).Replace("{folder}", _folder.Path, StringComparison.Ordinal);

    private async Task CreateWarehouseAsync()
    {
        await using var writer = await DuckDbWarehouse.OpenAsync(_warehouse, readOnly: false);
        await DuckDbWarehouse.EnsureSchemaAsync(writer);
    }
}
