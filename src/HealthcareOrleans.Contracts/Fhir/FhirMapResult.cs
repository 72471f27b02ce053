using HealthcareOrleans.Contracts.Events;

namespace HealthcareOrleans.Contracts.Fhir;

/// <summary>
/// What a FHIR payload maps to: the events in the order they happened, or a rejection with its machine-readable
/// reason, a human detail and the FHIRPath of the element at fault (what an OperationOutcome issue names).
/// </summary>
public sealed record FhirMapResult(IReadOnlyList<PatientFlowEvent> Events, string? RejectionReason, string? Detail, string? Expression)
{
    public bool IsAccepted => RejectionReason is null;

    public static FhirMapResult Accepted(IReadOnlyList<PatientFlowEvent> events) => new(events, null, null, null);

    public static FhirMapResult Rejected(string reason, string detail, string? expression = null) => new([], reason, detail, expression);
}
