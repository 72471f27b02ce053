using System.Text.RegularExpressions;
using HealthcareOrleans.Warehouse.Model;
using Microsoft.Data.SqlClient;

namespace HealthcareOrleans.Warehouse.Synapse;

/// <summary>
/// The Synapse DDL and views from sql/synapse, split into batches at GO lines (GO is a client-side batch separator,
/// not T-SQL: sqlcmd and SSMS split on it, and so must we).
/// </summary>
public static partial class SynapseScripts
{
    public const string StarSchema = "synapse/create_star_schema.sql";

    /// <summary>The star schema first, then every view, in file-name order.</summary>
    public static IReadOnlyList<string> All => [StarSchema, .. SqlScripts.List("synapse/views/")];

    public static IReadOnlyList<string> Batches(string script) =>
        [.. GoLine().Split(script).Select(b => b.Trim()).Where(b => b.Length > 0 && !IsOnlyComments(b))];

    /// <summary>Runs every script against the pool (the integration test, or a first deployment from code).</summary>
    public static async Task ApplyAsync(SqlConnection connection, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        foreach (var script in All)
        {
            foreach (var batch in Batches(SqlScripts.Read(script)))
            {
                await using var command = connection.CreateCommand();
                command.CommandText = batch;
                command.CommandTimeout = (int)timeout.TotalSeconds;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool IsOnlyComments(string batch) =>
        batch.Split('\n').All(line => line.TrimStart().StartsWith("--", StringComparison.Ordinal) || line.Trim().Length == 0);

    [GeneratedRegex(@"^\s*GO\s*;?\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex GoLine();
}
