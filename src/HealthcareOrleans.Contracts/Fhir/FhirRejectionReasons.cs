using HealthcareOrleans.Contracts.Events;

namespace HealthcareOrleans.Contracts.Fhir;

/// <summary>Reasons a FHIR payload is refused, in the same code[:field] form as <see cref="RejectionReasons"/>.</summary>
public static class FhirRejectionReasons
{
    /// <summary>Not FHIR R4 JSON the SDK can read: a syntax error, an unknown element, a value of the wrong type.</summary>
    public const string InvalidResource = "invalid_fhir";
    public const string UnsupportedResource = "unsupported_resource";
    public const string UnsupportedBundleType = "unsupported_bundle_type";
    /// <summary>An Encounter class the engine does not track beds for (ambulatory, virtual, home health, field).</summary>
    public const string UnsupportedClass = "unsupported_class";
    /// <summary>planned, cancelled, entered-in-error, unknown: nothing happened that a bed census can count.</summary>
    public const string UnsupportedStatus = "unsupported_status";
    public const string UnsupportedRequest = "unsupported_request";
    public const string NoEncounter = "no_encounter";
    /// <summary>A topic message is keyed by one patient; a Bundle of several must be split (the HTTP endpoint does).</summary>
    public const string SeveralPatients = "several_patients";
}
