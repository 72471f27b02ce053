namespace HealthcareOrleans.PatientFlow.Gold;

/// <summary>One SCD Type 2 version of a ward definition: a row of <c>dim_ward</c>.</summary>
/// <param name="ValidTo">Exclusive end; <see cref="GoldKeys.OpenEnd"/> while current.</param>
public sealed record DimWardRow(
    long WardSk,
    string WardId,
    string HospitalId,
    string Name,
    string Department,
    int Beds,
    DateTimeOffset ValidFrom,
    DateTimeOffset ValidTo,
    bool IsCurrent,
    int Version);

/// <summary>A row of <c>dim_date</c>; every column follows from the date, so rows never change once written.</summary>
/// <param name="DayOfWeek">ISO 8601: Monday = 1 … Sunday = 7.</param>
/// <param name="IsoYear">The ISO week-numbering year, which differs from <paramref name="Year"/> around New Year.</param>
public sealed record DimDateRow(
    int DateKey,
    DateOnly Date,
    int Year,
    int Quarter,
    int Month,
    string MonthName,
    int Day,
    int DayOfWeek,
    string DayName,
    bool IsWeekend,
    int IsoWeek,
    int IsoYear);

/// <summary>A fact_ward_stay row: the patient's stay with the ward version valid when the patient entered.</summary>
public sealed record FactWardStayRow(WardStayRow Stay, long WardSk);

/// <summary>One ward in one UTC hour: a row of <c>fact_ward_census_hourly</c> (definitions in <see cref="WardCensusBuilder"/>).</summary>
public sealed record CensusRow(
    long HourKey,
    string WardId,
    long WardSk,
    DateTimeOffset HourStart,
    int DateKey,
    int Hour,
    int Beds,
    int OccupancyAtEnd,
    int PatientsPresent,
    double BedHours,
    int Admissions,
    int Discharges,
    int TransfersIn,
    int TransfersOut);
