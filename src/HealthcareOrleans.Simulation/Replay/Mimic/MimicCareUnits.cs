using System.Text;
using HealthcareOrleans.Contracts.Hospital;

namespace HealthcareOrleans.Simulation.Replay.Mimic;

/// <summary>
/// The hospital a MIMIC-IV demo describes: one hospital, a ward per care unit, each with as many beds as the data
/// ever has patients in that unit at once (an emergency visit counts in the ED while it lasts).
/// </summary>
public static class MimicCareUnits
{
    public const string HospitalId = "BIDMC";
    public const string HospitalName = "Beth Israel Deaconess Medical Center (MIMIC-IV demo)";

    /// <summary>A ward id from a care unit name: "Medical Intensive Care Unit (MICU)" → "MIMIC-MEDICAL-INTENSIVE-CARE-UNIT-MICU".</summary>
    public static string WardIdOf(string careUnit)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in careUnit.ToUpperInvariant().Append(' '))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                word.Append(c);
            }
            else if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }

        return "MIMIC-" + string.Join('-', words);
    }

    public static HospitalLayout Layout(IReadOnlyList<MimicTransfer> transfers)
    {
        var wards = transfers
            .Where(t => t.CareUnit is not null && t.OutTime is not null)
            .GroupBy(t => t.CareUnit!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new WardDefinition(WardIdOf(g.Key), g.Key, DepartmentOf(g.Key), Math.Max(1, MostAtOnce(g))))
            .ToList();
        return new HospitalLayout([new HospitalDefinition(HospitalId, HospitalName, wards)]);
    }

    /// <summary>
    /// The peak of a sweep over [intime, outtime): at one instant a leaving is counted before an arrival, so a
    /// patient moving between two rows of the same unit is one patient, not two.
    /// </summary>
    public static int MostAtOnce(IEnumerable<MimicTransfer> stays)
    {
        var changes = stays.SelectMany(s => new[] { (At: s.InTime, Delta: 1), (At: s.OutTime!.Value, Delta: -1) })
            .OrderBy(c => c.At).ThenBy(c => c.Delta);
        int present = 0, most = 0;
        foreach (var change in changes)
        {
            present += change.Delta;
            most = Math.Max(most, present);
        }

        return most;
    }

    /// <summary>The engine groups wards by department; emergency units are the ones whose arrivals wait for a bed.</summary>
    private static string DepartmentOf(string careUnit) =>
        careUnit.StartsWith("Emergency", StringComparison.OrdinalIgnoreCase) ? "Emergency"
        : careUnit.Contains("Intensive Care", StringComparison.OrdinalIgnoreCase) || careUnit.Contains("(CCU)", StringComparison.Ordinal)
            || careUnit.Contains("ICU", StringComparison.Ordinal) ? "Critical Care"
        : careUnit;
}
