namespace HealthcareOrleans.Simulation.Model;

/// <summary>
/// The bed state of one hospital, by department: which ward a patient is sent to and which bed they get. Like a bed
/// manager, it prefers the ward the patient was listed for and otherwise the ward of the department with most free beds.
/// </summary>
internal sealed class BedBoard
{
    /// <summary>
    /// Time to clean and prepare a bed between patients. Besides realism it keeps a bed's release and its next
    /// occupation at distinct times, so the ward's event order never depends on how ties are broken.
    /// </summary>
    public static readonly TimeSpan Turnaround = TimeSpan.FromMinutes(30);

    private readonly Dictionary<string, WardBeds[]> _wardsByDepartment;

    public BedBoard(IReadOnlyList<WardBeds> wards)
    {
        Wards = wards;
        _wardsByDepartment = wards
            .GroupBy(w => w.Department, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>In layout order.</summary>
    public IReadOnlyList<WardBeds> Wards { get; }

    public bool HasFreeBed(string department) => WardsOf(department).Any(w => w.FreeBeds > 0);

    /// <summary>The ward of the department with most free beds (first in layout order on a tie), for a patient's listing.</summary>
    public WardBeds PreferredWard(string department)
    {
        var wards = WardsOf(department);
        var best = wards[0];
        foreach (var ward in wards)
        {
            if (ward.FreeBeds > best.FreeBeds)
            {
                best = ward;
            }
        }

        return best;
    }

    /// <summary>A ward of the department with a free bed, preferring <paramref name="preferredWardId"/>; null when all are full.</summary>
    public WardBeds? WardWithFreeBed(string department, string? preferredWardId)
    {
        var wards = WardsOf(department);
        foreach (var ward in wards)
        {
            if (ward.FreeBeds > 0 && string.Equals(ward.WardId, preferredWardId, StringComparison.Ordinal))
            {
                return ward;
            }
        }

        var preferred = PreferredWard(department);
        return preferred.FreeBeds > 0 ? preferred : null;
    }

    private WardBeds[] WardsOf(string department) =>
        _wardsByDepartment.TryGetValue(department, out var wards)
            ? wards
            : throw new InvalidOperationException($"The hospital has no ward of department '{department}'.");
}
