namespace HealthcareOrleans.Contracts.Events;

/// <summary>
/// One decoded patient-flow event: the topic value after parsing, before Silver cleansing.
/// </summary>
/// <param name="Extensions">Fields this version does not know, as raw JSON text by name: kept for Bronze/Silver schema evolution.</param>
/// <param name="SourceFormat">The wire format the event was decoded from (<see cref="SourceFormats"/>).</param>
[GenerateSerializer, Immutable, Alias("hc.patient-flow-event")]
public sealed record PatientFlowEvent(
    [property: Id(0)] string EventId,
    [property: Id(1)] PatientFlowEventType EventType,
    [property: Id(2)] DateTimeOffset OccurredAt,
    [property: Id(3)] string HospitalId,
    [property: Id(4)] string PatientId,
    [property: Id(5)] string? EncounterId,
    [property: Id(6)] string? WardId,
    [property: Id(7)] string? FromWardId,
    [property: Id(8)] string? BedId,
    [property: Id(9)] string? Department,
    [property: Id(10)] int? Acuity,
    [property: Id(11)] PatientDemographics? Patient,
    [property: Id(12)] int SchemaVersion,
    [property: Id(13)] IReadOnlyDictionary<string, string>? Extensions = null,
    [property: Id(14)] string SourceFormat = SourceFormats.Json);
