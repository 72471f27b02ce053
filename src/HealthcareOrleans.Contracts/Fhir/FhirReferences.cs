using Hl7.Fhir.Model;

namespace HealthcareOrleans.Contracts.Fhir;

/// <summary>
/// The engine's ids read from FHIR references. A literal reference names the id (<c>Patient/123</c>,
/// <c>https://ehr/fhir/Location/ICU/_history/2</c>); a conditional one (<c>Location?identifier=sys|ICU</c>) or a
/// logical one (<c>identifier</c>) names the business identifier, which is what HL7 v2 feeds carry too.
/// </summary>
internal static class FhirReferences
{
    public static string? IdOf(ResourceReference? reference, string resourceType)
    {
        if (reference is null)
        {
            return null;
        }

        if (!string.IsNullOrWhiteSpace(reference.Reference) && IdOf(reference.Reference.Trim(), resourceType) is { } id)
        {
            return id;
        }

        if (!string.IsNullOrWhiteSpace(reference.Identifier?.Value))
        {
            return reference.Identifier.Value.Trim();
        }

        return string.IsNullOrWhiteSpace(reference.Display) ? null : reference.Display.Trim();
    }

    private static string? IdOf(string reference, string resourceType)
    {
        if (reference.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase))
        {
            return reference["urn:uuid:".Length..];
        }

        var conditional = reference.IndexOf('?', StringComparison.Ordinal);
        if (conditional >= 0)
        {
            return IdentifierValueOf(reference[(conditional + 1)..]);
        }

        var segments = reference.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = segments.Length - 2; i >= 0; i--)
        {
            if (segments[i].Equals(resourceType, StringComparison.Ordinal))
            {
                return segments[i + 1];
            }
        }

        return null;
    }

    /// <summary>The value of <c>identifier=system|value</c> (or <c>identifier=value</c>) in a conditional reference's query.</summary>
    private static string? IdentifierValueOf(string query)
    {
        foreach (var pair in query.Split('&'))
        {
            if (pair.StartsWith("identifier=", StringComparison.Ordinal))
            {
                var token = Uri.UnescapeDataString(pair["identifier=".Length..]);
                var bar = token.LastIndexOf('|');
                var value = bar >= 0 ? token[(bar + 1)..] : token;
                return value.Length == 0 ? null : value;
            }
        }

        return null;
    }

    /// <summary>The visit number (identifier type VN, HL7 table 0203): the same id an HL7 v2 feed sends in PV1-19.</summary>
    public static string? VisitNumberOf(Encounter encounter) =>
        encounter.Identifier
            .FirstOrDefault(i => !string.IsNullOrWhiteSpace(i.Value) && i.Type?.Coding.Any(c => c.Code == "VN") == true)?.Value?.Trim();

    /// <summary>A coded value as one code: the first coding's code, else the concept's text.</summary>
    public static string? CodeOf(CodeableConcept? concept) =>
        concept?.Coding.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c.Code))?.Code?.Trim()
        ?? (string.IsNullOrWhiteSpace(concept?.Text) ? null : concept.Text.Trim());
}
