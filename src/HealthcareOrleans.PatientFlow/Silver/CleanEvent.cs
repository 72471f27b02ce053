using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Patients;

namespace HealthcareOrleans.PatientFlow.Silver;

/// <summary>
/// A Silver event: validated against the layout, codes in canonical spelling, PHI generalised (age band, postal
/// region). This is what the patient's timeline holds and what the Silver table stores.
/// </summary>
/// <param name="Attributes">Only the attributes this event states; null members mean "not stated", not "unknown".</param>
[GenerateSerializer, Immutable, Alias("hc.clean-event")]
public sealed record CleanEvent(
    [property: Id(0)] string EventId,
    [property: Id(1)] PatientFlowEventType Type,
    [property: Id(2)] DateTimeOffset OccurredAt,
    [property: Id(3)] string HospitalId,
    [property: Id(4)] string? EncounterId,
    [property: Id(5)] string? WardId,
    [property: Id(6)] string? FromWardId,
    [property: Id(7)] string? BedId,
    [property: Id(8)] string? Department,
    [property: Id(9)] int? Acuity,
    [property: Id(10)] PatientAttributes? Attributes,
    [property: Id(11)] BrokerPosition Position,
    [property: Id(12)] IReadOnlyDictionary<string, string>? Extensions = null);
