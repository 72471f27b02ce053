using HealthcareOrleans.Contracts.Lake;
using HealthcareOrleans.Medallion.Flush;

namespace HealthcareOrleans.Grains.Flush;

/// <summary>
/// The latest flush status per table and writer (key 0). In memory: writers report after every attempt, so a new
/// activation is complete again within one flush interval. A writer silent for <see cref="ForgetAfter"/> (its silo left)
/// drops out so the list shows the cluster as it is.
/// </summary>
public sealed class LakeStatusGrain(TimeProvider clock) : Grain, ILakeStatusGrain
{
    internal static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(10);

    private readonly Dictionary<(string Table, string Writer), (FlushStatus Status, DateTimeOffset ReportedAt)> _statuses = [];

    public Task ReportAsync(FlushStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var writer = status.Writer ?? string.Empty;
        _statuses[(status.Table, writer)] = (status, clock.GetUtcNow());
        if (status.Table != FlushStatusBook.UnknownTables(status.Layer))
        {
            // A writer that names its tables has had a success: its failures from before that are history.
            _statuses.Remove((FlushStatusBook.UnknownTables(status.Layer), writer));
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<FlushStatus>> GetAsync()
    {
        var cutoff = clock.GetUtcNow() - ForgetAfter;
        IReadOnlyList<FlushStatus> current =
        [
            .. _statuses.Values
                .Where(s => s.ReportedAt >= cutoff)
                .Select(s => s.Status)
                .OrderBy(s => LayerOrder(s.Layer))
                .ThenBy(s => s.Table, StringComparer.Ordinal)
                .ThenBy(s => s.Writer, StringComparer.Ordinal),
        ];
        return Task.FromResult(current);
    }

    private static int LayerOrder(string layer)
    {
        var index = LakeLayers.All.ToList().IndexOf(layer);
        return index < 0 ? int.MaxValue : index;
    }
}
