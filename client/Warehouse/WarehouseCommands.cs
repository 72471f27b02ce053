using System.CommandLine;
using System.Globalization;
using DuckDB.NET.Data;
using HealthcareOrleans.Client.Connection;
using HealthcareOrleans.Client.Output;
using HealthcareOrleans.Warehouse.DuckDb;

namespace HealthcareOrleans.Client.Warehouse;

/// <summary>`hc warehouse query "&lt;sql&gt;"`: SQL over the embedded DuckDB warehouse (read-only), as a table, CSV or JSON.</summary>
public static class WarehouseCommands
{
    private static readonly Option<string?> WarehouseOption = new("--warehouse") { Description = "The DuckDB warehouse file (default $HC_DATA_DIR/warehouse.duckdb, HC_DATA_DIR defaults to ./data)", Recursive = true };
    private static readonly Argument<string> SqlArgument = new("sql") { Description = "A query, e.g. \"select * from vw_ward_occupancy\" (views: vw_*; tables: dw.dim_*, dw.fact_*; load log: etl.load_log)" };
    private static readonly Option<bool> CsvOption = new("--csv") { Description = "Write CSV (RFC 4180) instead of a table" };

    public static Command Create()
    {
        Command warehouse = new("warehouse", "Query the embedded DuckDB warehouse the silo loads from the Gold tables");
        warehouse.Options.Add(WarehouseOption);
        Command query = new("query", "Run a read-only SQL query and print the result") { SqlArgument, CsvOption };
        query.Validators.Add(result =>
        {
            if (result.GetValue(CsvOption) && result.GetValue(GlobalOptions.Json))
            {
                result.AddError("Use --csv or --json, not both.");
            }
        });
        query.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(WarehouseOption) is { Length: > 0 } p ? p : DuckDbWarehouse.DefaultPath();
            try
            {
                // Read-only (the silo's loader may write the file at any moment; DuckDB admits one writer or many
                // readers), with no access to other files and a locked configuration.
                await using var connection = await DuckDbWarehouse.OpenForQueriesAsync(path, ct);
                await using var command = connection.CreateCommand();
                command.CommandText = parse.GetValue(SqlArgument)!;
                await using var reader = await command.ExecuteReaderAsync(ct);
                var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
                List<object?[]> rows = [];
                while (await reader.ReadAsync(ct))
                {
                    rows.Add([.. Enumerable.Range(0, columns.Length).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i))]);
                }

                if (parse.GetValue(GlobalOptions.Json))
                {
                    CliOutput.WriteJson(Console.Out, rows.Select(r => columns.Select((c, i) => (c, v: Json(r[i]))).ToDictionary(x => x.c, x => x.v)).ToList());
                }
                else if (parse.GetValue(CsvOption))
                {
                    Console.WriteLine(string.Join(",", columns.Select(Csv)));
                    foreach (var row in rows)
                    {
                        Console.WriteLine(string.Join(",", row.Select(v => v is null ? string.Empty : Csv(Text(v)))));
                    }
                }
                else
                {
                    TextTable.Write(Console.Out, columns, rows.Select(r => r.Select(v => v is null ? "null" : Text(v)).ToArray()));
                    Console.WriteLine($"({rows.Count} row{(rows.Count == 1 ? string.Empty : "s")})");
                }

                return 0;
            }
            catch (Exception e) when (e is DuckDBException or FileNotFoundException or IOException)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 1;
            }
        });
        warehouse.Subcommands.Add(query);
        return warehouse;
    }

    private static object? Json(object? value) => value switch
    {
        // Timestamps in the warehouse are UTC wall clock (DuckDB returns them without a kind).
        DateTime t => DateTime.SpecifyKind(t, DateTimeKind.Utc),
        System.Numerics.BigInteger b => (decimal)b,
        _ => value,
    };

    private static string Text(object value) => value switch
    {
        DateTime t when t.TimeOfDay == TimeSpan.Zero && t.Kind != DateTimeKind.Local => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        double d => d.ToString("0.######", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static string Csv(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
