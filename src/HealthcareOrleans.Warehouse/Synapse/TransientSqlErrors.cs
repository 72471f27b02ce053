using Microsoft.Data.SqlClient;

namespace HealthcareOrleans.Warehouse.Synapse;

/// <summary>
/// The SQL error numbers worth retrying: SqlClient's baseline transient list (SqlConfigurableRetryFactory
/// "BaselineTransientErrors": throttling, failover, resource limits, lost connections) plus 1205 (deadlock victim)
/// and 1222 (lock timeout), which a whole-table reload can safely redo.
/// </summary>
public static class TransientSqlErrors
{
    public static IReadOnlySet<int> Numbers { get; } = new HashSet<int>
    {
        // Connection and login failures during failover or reconfiguration.
        20, 64, 121, 233, 997, 4060, 4221, 10053, 10054, 10060, 11001,
        // Azure SQL / Synapse: service busy, database unavailable, resource governance, reconfiguration.
        10928, 10929, 40143, 40197, 40501, 40540, 40613, 42108, 42109, 49918, 49919, 49920,
        // Lock contention: the statement lost a deadlock or waited too long; the transaction rolled back.
        1204, 1205, 1222,
    };

    public static bool IsTransient(Exception exception) => exception switch
    {
        SqlException sql => sql.Errors.Cast<SqlError>().Any(e => Numbers.Contains(e.Number)),
        // A pooled connection broken by a failover surfaces as an invalid-operation on the dead connection.
        InvalidOperationException { InnerException: SqlException inner } => IsTransient(inner),
        _ => false,
    };
}
