using HealthcareOrleans.Contracts.Engine;

namespace HealthcareOrleans.Silo.Dashboard;

/// <summary>What the dashboard shows, pushed once a second on <c>/api/live</c>. Holds counts only, never a patient.</summary>
public sealed record LiveSnapshot
{
    public required DateTimeOffset ComputedAt { get; init; }

    /// <summary>The hospital's clock: the latest event time any ward has seen (replays read like live).</summary>
    public DateTimeOffset? HospitalClock { get; init; }

    public required LiveCensus Census { get; init; }

    /// <summary>Arrivals, admissions and discharges per hour over the last day of the hospital's clock, oldest first.</summary>
    public required IReadOnlyList<LiveHourlyFlow> Flow { get; init; }

    public required LiveEmergency Emergency { get; init; }

    public required LiveEngine Engine { get; init; }
}

/// <summary>The same totals and wards as <c>GET /api/census</c>.</summary>
public sealed record LiveCensus(int Beds, int Occupied, int Waiting, IReadOnlyList<LiveWard> Wards);

public sealed record LiveWard(
    string WardId,
    string Name,
    string HospitalId,
    string Department,
    int Beds,
    int Occupied,
    int Waiting,
    double OccupancyPercent,
    int ArrivalsToday,
    int AdmissionsToday,
    int DischargesToday,
    double? AverageLengthOfStayHours);

public sealed record LiveHourlyFlow(DateTimeOffset Hour, int Arrivals, int Admissions, int Discharges);

/// <summary>Patients waiting in the emergency departments, and for how long (to each department's clock).</summary>
public sealed record LiveEmergency(int Waiting, double? LongestWaitMinutes, double? AverageWaitMinutes);

public sealed record LiveEngine(
    long EventsApplied,
    long MessagesRejected,
    long MessagesSkipped,
    double EventsPerSecond,
    long Lag,
    int Silos,
    IReadOnlyDictionary<string, long> RejectionsByReason,
    IReadOnlyList<LivePartition> Partitions);

public sealed record LivePartition(int Partition, long Lag, long MessagesReceived)
{
    public static LivePartition From(PartitionProgress progress) => new(progress.Partition, progress.Lag, progress.MessagesReceived);
}
