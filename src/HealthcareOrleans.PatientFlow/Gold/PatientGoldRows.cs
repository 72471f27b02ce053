namespace HealthcareOrleans.PatientFlow.Gold;

/// <summary>One SCD Type 2 version of a patient's tracked attributes: a row of <c>dim_patient</c>.</summary>
/// <param name="ValidTo">Exclusive end; <see cref="GoldKeys.OpenEnd"/> while current.</param>
[GenerateSerializer, Immutable, Alias("hc.gold.dim-patient-row")]
public sealed record DimPatientRow(
    [property: Id(0)] long PatientSk,
    [property: Id(1)] long PatientDk,
    [property: Id(2)] string PatientId,
    [property: Id(3)] string? Gender,
    [property: Id(4)] string? AgeBand,
    [property: Id(5)] string? PostalRegion,
    [property: Id(6)] string? Payer,
    [property: Id(7)] DateTimeOffset ValidFrom,
    [property: Id(8)] DateTimeOffset ValidTo,
    [property: Id(9)] bool IsCurrent,
    [property: Id(10)] int Version);

/// <summary>
/// One stay of a patient in a ward: a row of <c>fact_ward_stay</c> before its ward_sk is resolved (the ward dimension
/// lives with the flush, not in the patient grain).
/// </summary>
/// <param name="EntryKind"><see cref="GoldMovements.Admission"/> or <see cref="GoldMovements.Transfer"/>.</param>
/// <param name="ExitKind">How the stay ended (<see cref="GoldMovements.Transfer"/>, <see cref="GoldMovements.Discharge"/>, <see cref="GoldMovements.Superseded"/>); null while open.</param>
[GenerateSerializer, Immutable, Alias("hc.gold.ward-stay-row")]
public sealed record WardStayRow(
    [property: Id(0)] string StayId,
    [property: Id(1)] long PatientSk,
    [property: Id(2)] long PatientDk,
    [property: Id(3)] string EncounterId,
    [property: Id(4)] string? HospitalId,
    [property: Id(5)] string WardId,
    [property: Id(6)] string? BedId,
    [property: Id(7)] DateTimeOffset EnteredAt,
    [property: Id(8)] DateTimeOffset? LeftAt,
    [property: Id(9)] double? LengthOfStayHours,
    [property: Id(10)] int DateKey,
    [property: Id(11)] bool IsOpen,
    [property: Id(12)] string EntryKind,
    [property: Id(13)] string? ExitKind);

/// <summary>One encounter, arrival → admission → discharge: a row of <c>fact_encounter</c>.</summary>
/// <param name="WaitingTimeMinutes">Arrival to admission; null without either.</param>
/// <param name="LengthOfStayHours">Admission to discharge; null until discharged, or when never admitted.</param>
/// <param name="DischargedFromEd">Discharged without ever being admitted to a ward bed.</param>
/// <param name="DateKey">The date of arrival, or of admission for a direct admission.</param>
[GenerateSerializer, Immutable, Alias("hc.gold.encounter-row")]
public sealed record EncounterRow(
    [property: Id(0)] string EncounterId,
    [property: Id(1)] long PatientSk,
    [property: Id(2)] long PatientDk,
    [property: Id(3)] string? HospitalId,
    [property: Id(4)] string? Department,
    [property: Id(5)] int? Acuity,
    [property: Id(6)] DateTimeOffset? ArrivedAt,
    [property: Id(7)] DateTimeOffset? AdmittedAt,
    [property: Id(8)] DateTimeOffset? DischargedAt,
    [property: Id(9)] double? WaitingTimeMinutes,
    [property: Id(10)] double? LengthOfStayHours,
    [property: Id(11)] string Status,
    [property: Id(12)] string? ArrivalWardId,
    [property: Id(13)] string? FirstWardId,
    [property: Id(14)] string? LastWardId,
    [property: Id(15)] int Transfers,
    [property: Id(16)] bool DischargedFromEd,
    [property: Id(17)] int DateKey);

/// <summary>Everything Gold holds about one patient, as of the patient's current projection.</summary>
[GenerateSerializer, Immutable, Alias("hc.gold.patient-rows")]
public sealed record PatientGoldRows(
    [property: Id(0)] long PatientDk,
    [property: Id(1)] IReadOnlyList<DimPatientRow> Versions,
    [property: Id(2)] IReadOnlyList<WardStayRow> Stays,
    [property: Id(3)] IReadOnlyList<EncounterRow> Encounters);

/// <summary>The words Gold uses for movements and encounter states (stored as strings so SQL and DAX read them plainly).</summary>
public static class GoldMovements
{
    public const string Admission = "admission";
    public const string Transfer = "transfer";
    public const string Discharge = "discharge";
    /// <summary>The encounter was never discharged: a later encounter closed it.</summary>
    public const string Superseded = "superseded";

    public const string Waiting = "waiting";
    public const string Admitted = "admitted";
    public const string Discharged = "discharged";
}
