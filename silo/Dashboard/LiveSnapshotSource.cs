using HealthcareOrleans.Contracts.Engine;
using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Wards;
using HealthcareOrleans.PatientFlow.Hospital;
using OpenTelemetry;

namespace HealthcareOrleans.Silo.Dashboard;

/// <summary>
/// Builds the dashboard's snapshot from the grains, at most about once a second however many dashboards are open:
/// concurrent readers share one refresh and reuse it while it is fresh.
/// </summary>
public sealed class LiveSnapshotSource(IGrainFactory grains, HospitalDirectory directory, TimeProvider clock)
{
    /// <summary>Emergency departments are the wards of this department in the hospital layout.</summary>
    public const string EmergencyDepartment = "Emergency";

    private static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(900);
    private static readonly TimeSpan FlowWindow = TimeSpan.FromHours(24);

    private readonly Lock _gate = new();
    private Task<LiveSnapshot>? _refresh;
    private LiveSnapshot? _latest;
    private long _latestAt;

    public Task<LiveSnapshot> GetAsync()
    {
        lock (_gate)
        {
            if (_latest is not null && clock.GetElapsedTime(_latestAt) < MaxAge)
            {
                return Task.FromResult(_latest);
            }

            return _refresh ??= RefreshAsync();
        }
    }

    private async Task<LiveSnapshot> RefreshAsync()
    {
        // Always complete asynchronously, so _refresh is assigned before the finally block clears it.
        await Task.Yield();
        try
        {
            var snapshot = await BuildAsync();
            lock (_gate)
            {
                _latest = snapshot;
                _latestAt = clock.GetTimestamp();
            }

            return snapshot;
        }
        finally
        {
            lock (_gate)
            {
                _refresh = null;
            }
        }
    }

    private async Task<LiveSnapshot> BuildAsync()
    {
        // A dashboard polls every second for as long as it is open: tracing that would bury the patient-flow traces.
        using var untraced = SuppressInstrumentationScope.Begin();
        var censusTask = grains.GetGrain<ICensusGrain>(0).GetAsync(null);
        var statusTask = grains.GetGrain<IEngineStatusGrain>(0).GetAsync();
        var emergencyTasks = directory.Layout.Wards
            .Where(w => string.Equals(w.Department, EmergencyDepartment, StringComparison.OrdinalIgnoreCase))
            .Select(w => grains.GetGrain<IWardGrain>(w.WardId).GetCensusAsync(includeOccupants: true))
            .ToList();
        var census = await censusTask;
        var status = await statusTask;
        var emergency = await Task.WhenAll(emergencyTasks);

        var hospitalClock = census.Wards.Max(w => w.AsOf);
        return new LiveSnapshot
        {
            ComputedAt = clock.GetUtcNow(),
            HospitalClock = hospitalClock,
            Census = new LiveCensus(census.Beds, census.Occupied, census.Waiting, [.. census.Wards.Select(ToLive)]),
            Flow = HourlyFlow(census.Wards, hospitalClock),
            Emergency = Waiting(emergency),
            Engine = ToLive(status),
        };
    }

    private static LiveWard ToLive(WardCensus w) => new(
        w.WardId, w.Name, w.HospitalId, w.Department, w.Beds, w.Occupied, w.Waiting, w.OccupancyPercent,
        w.ArrivalsToday, w.AdmissionsToday, w.DischargesToday, w.AverageLengthOfStayHours);

    private static List<LiveHourlyFlow> HourlyFlow(IReadOnlyList<WardCensus> wards, DateTimeOffset? hospitalClock)
    {
        if (hospitalClock is not { } now)
        {
            return [];
        }

        var from = now - FlowWindow;
        return
        [
            .. wards.SelectMany(w => w.LastHours)
                .Where(h => h.Hour > from)
                .GroupBy(h => h.Hour)
                .OrderBy(g => g.Key)
                .Select(g => new LiveHourlyFlow(g.Key, g.Sum(h => h.Arrivals), g.Sum(h => h.Admissions), g.Sum(h => h.Discharges))),
        ];
    }

    internal static LiveEmergency Waiting(IEnumerable<WardCensus> emergencyDepartments)
    {
        var waits = new List<double>();
        var waiting = 0;
        foreach (var ward in emergencyDepartments)
        {
            waiting += ward.Waiting;
            foreach (var occupant in ward.Occupants ?? [])
            {
                if (occupant is { Presence: WardPresence.Waiting, Since: { } since } && ward.AsOf is { } now)
                {
                    waits.Add(Math.Max(0, (now - since).TotalMinutes));
                }
            }
        }

        return new LiveEmergency(
            waiting,
            waits.Count == 0 ? null : Math.Round(waits.Max(), 0),
            waits.Count == 0 ? null : Math.Round(waits.Average(), 0));
    }

    private static LiveEngine ToLive(EngineStatus status)
    {
        var reasons = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (reason, count) in status.Silos.SelectMany(s => s.RejectionsByReason))
        {
            var code = RejectionReasons.CodeOf(reason);
            reasons[code] = reasons.GetValueOrDefault(code) + count;
        }

        return new LiveEngine(
            status.EventsApplied,
            status.MessagesRejected,
            status.MessagesSkipped,
            Math.Round(status.EventsPerSecond, 1),
            status.Lag,
            status.Silos.Count,
            reasons,
            [.. status.Silos.SelectMany(s => s.Partitions).OrderBy(p => p.Partition).Select(LivePartition.From)]);
    }
}
