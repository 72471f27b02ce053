namespace HealthcareOrleans.Contracts.Patients;

/// <summary>The live Silver state of one patient, as the API and the client show it.</summary>
[GenerateSerializer, Immutable, Alias("hc.patient-view")]
public sealed record PatientView
{
    [Id(0)] public required string PatientId { get; init; }
    [Id(1)] public string? HospitalId { get; init; }
    [Id(2)] public PatientStatus Status { get; init; }
    [Id(3)] public string? EncounterId { get; init; }
    [Id(4)] public string? WardId { get; init; }
    [Id(5)] public string? BedId { get; init; }
    [Id(6)] public string? Department { get; init; }
    [Id(7)] public int? Acuity { get; init; }
    /// <summary>The ward the patient waits for, while waiting.</summary>
    [Id(8)] public string? PendingWardId { get; init; }
    [Id(9)] public DateTimeOffset? ArrivedAt { get; init; }
    [Id(10)] public DateTimeOffset? AdmittedAt { get; init; }
    [Id(11)] public DateTimeOffset? DischargedAt { get; init; }
    [Id(12)] public PatientAttributes? Attributes { get; init; }
    /// <summary>SCD Type 2 history of the tracked attributes, oldest first, in event time.</summary>
    [Id(13)] public IReadOnlyList<PatientAttributeVersion> History { get; init; } = [];
    /// <summary>Every ward stay of every encounter, oldest first.</summary>
    [Id(14)] public IReadOnlyList<WardStay> Journey { get; init; } = [];
    [Id(15)] public int EventsApplied { get; init; }
    [Id(16)] public int EventsRejected { get; init; }
    [Id(17)] public DateTimeOffset? LastEventAt { get; init; }
}

/// <summary>The attributes tracked with SCD Type 2: generalised on purpose (age band, postal region), never raw PHI.</summary>
[GenerateSerializer, Immutable, Alias("hc.patient-attributes")]
public sealed record PatientAttributes(
    [property: Id(0)] string? Gender,
    [property: Id(1)] string? AgeBand,
    [property: Id(2)] string? PostalRegion,
    [property: Id(3)] string? Payer);

/// <param name="ValidTo">Exclusive end in event time; null while current.</param>
[GenerateSerializer, Immutable, Alias("hc.patient-attribute-version")]
public sealed record PatientAttributeVersion(
    [property: Id(0)] int Version,
    [property: Id(1)] PatientAttributes Attributes,
    [property: Id(2)] DateTimeOffset ValidFrom,
    [property: Id(3)] DateTimeOffset? ValidTo)
{
    public bool IsCurrent => ValidTo is null;
}

/// <param name="LeftAt">Null while the patient is still in the ward.</param>
[GenerateSerializer, Immutable, Alias("hc.ward-stay")]
public sealed record WardStay(
    [property: Id(0)] string EncounterId,
    [property: Id(1)] string WardId,
    [property: Id(2)] string? BedId,
    [property: Id(3)] DateTimeOffset EnteredAt,
    [property: Id(4)] DateTimeOffset? LeftAt);
