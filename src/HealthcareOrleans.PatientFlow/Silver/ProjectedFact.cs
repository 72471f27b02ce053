using HealthcareOrleans.Contracts.Wards;

namespace HealthcareOrleans.PatientFlow.Silver;

/// <summary>A movement the projection counts for a ward; the patient grain keeps wards in step with the set of these.</summary>
[GenerateSerializer, Immutable, Alias("hc.projected-fact")]
public sealed record ProjectedFact(
    [property: Id(0)] string WardId,
    [property: Id(1)] string EventId,
    [property: Id(2)] WardFlowKind Kind,
    [property: Id(3)] DateTimeOffset OccurredAt);

/// <summary>An event Silver kept but could not apply where it stands in event time (e.g. a transfer with no admission).</summary>
[GenerateSerializer, Immutable, Alias("hc.event-anomaly")]
public sealed record EventAnomaly(
    [property: Id(0)] string EventId,
    [property: Id(1)] string Reason);
