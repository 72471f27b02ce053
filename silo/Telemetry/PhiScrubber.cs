using System.Text.RegularExpressions;
using HealthcareOrleans.PatientFlow.Telemetry;

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

    /// <summary>
    /// Pseudonymises every patient id other components may write into a line of text: grain references
    /// (<c>patient/&lt;id&gt;</c>), stream ids (<c>patient-flow/&lt;id&gt;</c>, also after the provider name) and API
    /// paths (<c>/api/patients/&lt;id&gt;</c>, as in ASP.NET Core's request lines).
    /// </summary>
    public string ScrubText(string text)
    {
        var scrubbed = ScrubGrainReferences(text);
        if (scrubbed.Contains("patient-flow/", StringComparison.Ordinal))
        {
            scrubbed = PatientStreamId().Replace(scrubbed, m => m.Groups[1].Value + Pseudonym(Uri.UnescapeDataString(m.Groups[2].Value)));
        }

        if (scrubbed.Contains("/api/patients/", StringComparison.OrdinalIgnoreCase))
        {
            scrubbed = PatientApiPath().Replace(scrubbed, m => m.Groups[1].Value + Pseudonym(Uri.UnescapeDataString(m.Groups[2].Value)));
        }

        return scrubbed;
    }

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

    // An Orleans StreamId prints as "<namespace>/<key>"; stream lines also put the provider name in front. Our own
    // receiver and Bronze lines name "<topic>/<partition>" after "Kafka " or "Bronze ", and Bronze's txn ids end in
    // "<source>/<topic>/<partition>": those are partitions of the default topic, not patients.
    [GeneratedRegex(@"(?<![\w./-])(?<!Kafka )(?<!Bronze )((?:patient-flow/)?patient-flow/)(?!p_[0-9a-f]{16}\b)([^\s,;:\]\)\}""'<>]+)", RegexOptions.CultureInvariant)]
    private static partial Regex PatientStreamId();

    [GeneratedRegex(@"(/api/patients/)(?!p_[0-9a-f]{16}\b)([^\s/?#""'<>]+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex PatientApiPath();
}
