using DuckDB.NET.Data;
using HealthcareOrleans.Warehouse.DuckDb;

namespace HealthcareOrleans.Warehouse.Tests.Infrastructure;

/// <summary>Reads from a DuckDB warehouse file the way a user would (a read-only connection).</summary>
public static class WarehouseQueries
{
    public static async Task<List<object?[]>> QueryAsync(string path, string sql)
    {
        await using var connection = await DuckDbWarehouse.OpenAsync(path, readOnly: true);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        List<object?[]> rows = [];
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public static async Task<long> CountAsync(string path, string sql) =>
        Convert.ToInt64((await QueryAsync(path, sql)).Single()[0], System.Globalization.CultureInfo.InvariantCulture);

    public static Task<long> RowsAsync(string path, string table) => CountAsync(path, $"SELECT COUNT(*) FROM dw.{table}");
}
