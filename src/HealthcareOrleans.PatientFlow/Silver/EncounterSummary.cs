namespace HealthcareOrleans.PatientFlow.Silver;

/// <summary>How an encounter ended, as far as the fold knows.</summary>
public enum EncounterEnding
{
    /// <summary>Still open: waiting or admitted.</summary>
    Open,
    /// <summary>Closed by a DISCHARGE.</summary>
    Discharged,
    /// <summary>Never discharged: a later encounter of the same patient began first, which closed it implicitly.</summary>
    Superseded,
}

/// <summary>
/// One encounter's milestones, kept by <see cref="PatientProjection"/> for the Gold <c>fact_encounter</c>. Only what the
/// ward journey cannot tell is stored here (the ward stays of the encounter are in the journey), so one summary costs a
/// few dozen bytes; it grows with the number of encounters, exactly as the journey does.
/// </summary>
/// <param name="ArrivalWardId">The ward the patient waited for on arrival (the ED for walk-ins); null for direct admissions.</param>
/// <param name="Department">The department of the admission, or of the arrival while never admitted.</param>
/// <param name="EndedAt">The discharge time, or the start of the superseding encounter.</param>
[GenerateSerializer, Immutable, Alias("hc.encounter-summary")]
public sealed record EncounterSummary(
    [property: Id(0)] string EncounterId,
    [property: Id(1)] string? HospitalId,
    [property: Id(2)] string? Department,
    [property: Id(3)] int? Acuity,
    [property: Id(4)] DateTimeOffset? ArrivedAt,
    [property: Id(5)] string? ArrivalWardId,
    [property: Id(6)] DateTimeOffset? AdmittedAt,
    [property: Id(7)] DateTimeOffset? EndedAt,
    [property: Id(8)] EncounterEnding Ending);
