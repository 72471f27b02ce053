using HealthcareOrleans.Contracts.Events;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace HealthcareOrleans.Contracts.Fhir;

/// <summary>Refusals as FHIR OperationOutcomes: what a FHIR client reads to learn what to fix.</summary>
public static class FhirOutcomes
{
    public static OperationOutcome Refusal(string reason, string detail, string? expression)
    {
        var issue = new OperationOutcome.IssueComponent
        {
            Severity = OperationOutcome.IssueSeverity.Error,
            Code = IssueTypeOf(reason),
            Details = new CodeableConcept { Text = reason },
            Diagnostics = detail,
        };
        if (expression is not null)
        {
            issue.Expression = [expression];
        }

        return new OperationOutcome { Issue = [issue] };
    }

    public static OperationOutcome Refusal(FhirMapResult rejected) =>
        Refusal(rejected.RejectionReason ?? throw new ArgumentException("the result is not a rejection", nameof(rejected)), rejected.Detail ?? "", rejected.Expression);

    public static string ToJson(OperationOutcome outcome) => outcome.ToJson();

    /// <summary>Whether the refusal is about the payload's form (HTTP 400) rather than what it says (HTTP 422).</summary>
    public static bool IsStructural(string reason) =>
        RejectionReasons.CodeOf(reason) is FhirRejectionReasons.InvalidResource or RejectionReasons.Oversize or RejectionReasons.MalformedJson;

    private static OperationOutcome.IssueType IssueTypeOf(string reason) => RejectionReasons.CodeOf(reason) switch
    {
        FhirRejectionReasons.InvalidResource or RejectionReasons.MalformedJson => OperationOutcome.IssueType.Structure,
        RejectionReasons.MissingField => OperationOutcome.IssueType.Required,
        RejectionReasons.FieldTooLong or RejectionReasons.Oversize => OperationOutcome.IssueType.TooLong,
        FhirRejectionReasons.UnsupportedResource or FhirRejectionReasons.UnsupportedBundleType or FhirRejectionReasons.UnsupportedClass
            or FhirRejectionReasons.UnsupportedStatus or FhirRejectionReasons.UnsupportedRequest => OperationOutcome.IssueType.NotSupported,
        FhirRejectionReasons.NoEncounter => OperationOutcome.IssueType.Required,
        RejectionReasons.ImpossibleTime => OperationOutcome.IssueType.BusinessRule,
        _ => OperationOutcome.IssueType.Invalid,
    };
}
