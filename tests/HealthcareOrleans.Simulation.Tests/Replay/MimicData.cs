using DuckDB.NET.Data;

namespace HealthcareOrleans.Simulation.Tests.Replay;

/// <summary>The MIMIC-IV demo beside the checkout, and DuckDB to compute the expected figures straight from its CSV.</summary>
internal static class MimicData
{
    public static string DemoDirectory
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "HealthcareOrleans.sln")))
            {
                directory = directory.Parent;
            }

            var demo = Path.GetFullPath(Path.Combine(directory?.FullName ?? throw new DirectoryNotFoundException("no repository root above the tests"), "..", "shared", "data", "mimic-iv-demo-2.2"));
            return Directory.Exists(demo) ? demo : throw new DirectoryNotFoundException($"The MIMIC-IV demo is missing: {demo}");
        }
    }

    public static string Transfers(string demoDirectory) => Path.Combine(demoDirectory, "hosp", "transfers.csv.gz");

    /// <summary>Rows of a query as (first column as text, second column as a double: cast it in the SQL).</summary>
    public static Dictionary<string, double> Query(string sql)
    {
        using DuckDBConnection connection = new("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new Dictionary<string, double>(StringComparer.Ordinal);
        while (reader.Read())
        {
            rows[reader.GetValue(0).ToString()!] = reader.GetDouble(1);
        }

        return rows;
    }

    /// <summary>transfers.csv read as MIMIC publishes it: empty careunit/outtime/hadm_id are NULL.</summary>
    public static string TransfersTable(string path) =>
        $"read_csv('{path.Replace("'", "''", StringComparison.Ordinal)}', header = true, columns = {{'subject_id': 'BIGINT', 'hadm_id': 'BIGINT', 'transfer_id': 'BIGINT', 'eventtype': 'VARCHAR', 'careunit': 'VARCHAR', 'intime': 'TIMESTAMP', 'outtime': 'TIMESTAMP'}})";
}
