namespace HealthcareOrleans.Contracts.Wards;

/// <summary>Live census of one ward.</summary>
[GenerateSerializer, Immutable, Alias("hc.ward-census")]
public sealed record WardCensus
{
    [Id(0)] public required string WardId { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public required string HospitalId { get; init; }
    [Id(3)] public required string Department { get; init; }
    [Id(4)] public int Beds { get; init; }
    [Id(5)] public int Occupied { get; init; }
    [Id(6)] public int Waiting { get; init; }
    /// <summary>The ward's clock: the latest event time it has seen. "Today" is this date, so replays read like live.</summary>
    [Id(7)] public DateTimeOffset? AsOf { get; init; }
    [Id(8)] public int ArrivalsToday { get; init; }
    [Id(9)] public int AdmissionsToday { get; init; }
    [Id(10)] public int DischargesToday { get; init; }
    [Id(11)] public int TransfersInToday { get; init; }
    [Id(12)] public int TransfersOutToday { get; init; }
    /// <summary>Mean length of stay so far of the patients in the ward now, in hours.</summary>
    [Id(13)] public double? AverageLengthOfStayHours { get; init; }
    [Id(14)] public IReadOnlyList<HourlyWardFlow> LastHours { get; init; } = [];
    /// <summary>Filled only when occupants were asked for.</summary>
    [Id(15)] public IReadOnlyList<WardOccupant>? Occupants { get; init; }

    public double OccupancyPercent => Beds == 0 ? 0 : Math.Round(100.0 * Occupied / Beds, 1);
}

[GenerateSerializer, Immutable, Alias("hc.hourly-ward-flow")]
public sealed record HourlyWardFlow(
    [property: Id(0)] DateTimeOffset Hour,
    [property: Id(1)] int Arrivals,
    [property: Id(2)] int Admissions,
    [property: Id(3)] int Discharges,
    [property: Id(4)] int TransfersIn,
    [property: Id(5)] int TransfersOut);

[GenerateSerializer, Immutable, Alias("hc.ward-occupant")]
public sealed record WardOccupant(
    [property: Id(0)] string PatientId,
    [property: Id(1)] string? EncounterId,
    [property: Id(2)] WardPresence Presence,
    [property: Id(3)] string? BedId,
    [property: Id(4)] DateTimeOffset? Since,
    [property: Id(5)] int? Acuity);
