namespace HealthcareOrleans.Contracts.Events;

/// <summary>
/// The wire format a message arrived in, kept on each event and in Silver's <c>source_format</c> column: past
/// decoding it is the only trace of where an event came from.
/// </summary>
public static class SourceFormats
{
    /// <summary>The engine's own JSON contract (ADT event or classic flat admission record).</summary>
    public const string Json = "json";

    /// <summary>HL7 v2 ER7 (pipe-delimited) ADT messages, from MLLP or produced to the topic as they are.</summary>
    public const string Hl7V2 = "hl7v2";

    /// <summary>FHIR R4 JSON resources (Encounter, Bundle).</summary>
    public const string FhirR4 = "fhir-r4";
}
