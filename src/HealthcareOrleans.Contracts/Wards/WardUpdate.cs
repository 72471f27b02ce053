namespace HealthcareOrleans.Contracts.Wards;

public enum WardPresence
{
    /// <summary>Not in this ward (left, discharged, or a movement here was cancelled).</summary>
    Absent,
    /// <summary>Waiting for a bed in this ward.</summary>
    Waiting,
    /// <summary>In a bed of this ward.</summary>
    Present,
}

public enum WardFlowKind
{
    Arrival,
    Admission,
    TransferIn,
    TransferOut,
    Discharge,
}

/// <summary>
/// A counted movement. Keyed by the event that caused it, so a replay counts nothing twice and a cancel can take it back.
/// </summary>
[GenerateSerializer, Immutable, Alias("hc.ward-flow-fact")]
public sealed record WardFlowFact(
    [property: Id(0)] string EventId,
    [property: Id(1)] WardFlowKind Kind,
    [property: Id(2)] DateTimeOffset OccurredAt,
    [property: Id(3)] bool Retracted);

/// <summary>
/// What a patient grain tells a ward: where the patient now stands relative to this ward, and which movements to count.
/// Sent in order by the one patient grain that owns the patient, so the latest update wins.
/// </summary>
[GenerateSerializer, Immutable, Alias("hc.ward-update")]
public sealed record WardUpdate(
    [property: Id(0)] string PatientId,
    [property: Id(1)] string? EncounterId,
    [property: Id(2)] WardPresence Presence,
    [property: Id(3)] string? BedId,
    [property: Id(4)] DateTimeOffset? Since,
    [property: Id(5)] int? Acuity,
    [property: Id(6)] IReadOnlyList<WardFlowFact> Facts);
