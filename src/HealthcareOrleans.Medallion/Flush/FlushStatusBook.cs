using HealthcareOrleans.Contracts.Lake;

namespace HealthcareOrleans.Medallion.Flush;

/// <summary>
/// The statuses one writer last reported, folded with its failures: a success replaces a table's status and clears
/// the error; a failure keeps each known table's last success and adds LastError, ConsecutiveFailures, NextAttemptAt.
/// </summary>
public sealed class FlushStatusBook(string layer, string writer)
{
    private readonly Dictionary<string, FlushStatus> _byTable = new(StringComparer.Ordinal);

    public IReadOnlyList<FlushStatus> Current => [.. _byTable.Values.OrderBy(s => s.Table, StringComparer.Ordinal)];

    /// <summary>The table name a failure before the first success is reported under, when no table is known yet.</summary>
    public static string UnknownTables(string layer) => layer + "/*";

    public IReadOnlyList<FlushStatus> Succeeded(IReadOnlyList<FlushStatus> reported, DateTimeOffset at, TimeSpan duration, DateTimeOffset nextAttemptAt)
    {
        // The real tables are known now; the stand-in that carried the early failures would otherwise stay failed.
        _byTable.Remove(UnknownTables(layer));
        foreach (var status in reported)
        {
            _byTable[status.Table] = status with
            {
                Layer = string.IsNullOrEmpty(status.Layer) ? layer : status.Layer,
                Writer = status.Writer ?? writer,
                LastSuccessAt = status.LastSuccessAt ?? at,
                LastDuration = status.LastDuration ?? duration,
                LastError = null,
                LastErrorAt = null,
                ConsecutiveFailures = 0,
                NextAttemptAt = nextAttemptAt,
            };
        }

        return Current;
    }

    public IReadOnlyList<FlushStatus> Failed(Exception error, int consecutiveFailures, DateTimeOffset at, DateTimeOffset nextAttemptAt)
    {
        // Before the first success the tables are unknown; the layer itself carries the error then.
        if (_byTable.Count == 0)
        {
            _byTable[UnknownTables(layer)] = new FlushStatus { Layer = layer, Table = UnknownTables(layer), Writer = writer };
        }

        foreach (var table in _byTable.Keys.ToList())
        {
            _byTable[table] = _byTable[table] with
            {
                LastError = Describe(error),
                LastErrorAt = at,
                ConsecutiveFailures = consecutiveFailures,
                NextAttemptAt = nextAttemptAt,
            };
        }

        return Current;
    }

    // The exception type and message say what failed (storage, conflict, schema); stack traces go to the log only.
    private static string Describe(Exception error)
    {
        var root = error is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : error;
        return $"{root.GetType().Name}: {root.Message}";
    }
}
