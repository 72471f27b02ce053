using System.Text.RegularExpressions;
using HealthcareOrleans.Grains.Telemetry;

namespace HealthcareOrleans.Silo.Telemetry;

/// <summary>
/// Replaces patient identifiers that other components put into telemetry with their pseudonyms: Orleans names
/// grains <c>patient/&lt;patient id&gt;</c> in its span tags and messages, and the API's own paths carry the id
/// (<c>/api/patients/&lt;id&gt;</c>).
/// </summary>
public sealed partial class PhiScrubber(PatientPseudonyms pseudonyms)
{
    /// <summary>Log attribute names that hold a patient identifier, whatever component logs them.</summary>
    private static readonly HashSet<string> PatientAttributeNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "PatientId", "patient_id", "patient.id", "Patient", "EncounterId", "encounter_id",
    };

    public static bool IsPatientAttribute(string name) => PatientAttributeNames.Contains(name);

    public string Pseudonym(string patientId) => pseudonyms.Of(patientId);

    /// <summary>Pseudonymises every <c>patient/&lt;id&gt;</c> grain reference in <paramref name="text"/>.</summary>
    public string ScrubGrainReferences(string text) =>
        text.Contains("patient/", StringComparison.Ordinal)
            ? PatientGrainReference().Replace(text, m => "patient/" + Pseudonym(Uri.UnescapeDataString(m.Groups[1].Value)))
            : text;

    /// <summary><c>/api/patients/P-123</c> becomes <c>/api/patients/p_…</c>; other paths are unchanged.</summary>
    public string ScrubPath(string path)
    {
        const string PatientsPrefix = "/api/patients/";
        if (!path.StartsWith(PatientsPrefix, StringComparison.OrdinalIgnoreCase) || path.Length == PatientsPrefix.Length)
        {
            return path;
        }

        var rest = path.AsSpan(PatientsPrefix.Length);
        var slash = rest.IndexOf('/');
        var id = slash < 0 ? rest : rest[..slash];
        var tail = slash < 0 ? string.Empty : rest[slash..].ToString();
        return path[..PatientsPrefix.Length] + Pseudonym(Uri.UnescapeDataString(id.ToString())) + tail;
    }

    // Orleans' GrainId text is "<type>/<key>"; the key runs to whitespace or a delimiter of the surrounding text.
    [GeneratedRegex(@"(?<![\w.-])patient/([^\s,;:\]\)\}""'<>]+)", RegexOptions.CultureInvariant)]
    private static partial Regex PatientGrainReference();
}
