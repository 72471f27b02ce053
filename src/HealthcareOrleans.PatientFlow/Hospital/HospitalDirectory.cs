using System.Collections.Frozen;
using HealthcareOrleans.Contracts.Hospital;

namespace HealthcareOrleans.PatientFlow.Hospital;

/// <summary>
/// The layout indexed for Silver: producers spell codes in any case, so every lookup is case-insensitive and
/// returns the canonical spelling.
/// </summary>
public sealed class HospitalDirectory
{
    private readonly FrozenDictionary<string, HospitalDefinition> _hospitals;
    private readonly FrozenDictionary<string, (WardDefinition Ward, string HospitalId)> _wards;

    public HospitalDirectory(HospitalLayout layout)
    {
        layout.Validate();
        Layout = layout;
        _hospitals = layout.Hospitals.ToFrozenDictionary(h => h.HospitalId, StringComparer.OrdinalIgnoreCase);
        _wards = layout.Hospitals
            .SelectMany(h => h.Wards.Select(w => (Ward: w, h.HospitalId)))
            .ToFrozenDictionary(x => x.Ward.WardId, StringComparer.OrdinalIgnoreCase);
    }

    public HospitalLayout Layout { get; }

    public IEnumerable<WardDefinition> Wards => Layout.Wards;

    public bool TryGetHospital(string hospitalId, out HospitalDefinition hospital) =>
        _hospitals.TryGetValue(hospitalId.Trim(), out hospital!);

    public bool TryGetWard(string wardId, out WardDefinition ward, out string hospitalId)
    {
        if (_wards.TryGetValue(wardId.Trim(), out var entry))
        {
            ward = entry.Ward;
            hospitalId = entry.HospitalId;
            return true;
        }

        ward = null!;
        hospitalId = string.Empty;
        return false;
    }

    /// <summary>The canonical department name of a hospital, matched case-insensitively.</summary>
    public string? FindDepartment(HospitalDefinition hospital, string department)
    {
        var trimmed = department.Trim();
        foreach (var ward in hospital.Wards)
        {
            if (string.Equals(ward.Department, trimmed, StringComparison.OrdinalIgnoreCase))
            {
                return ward.Department;
            }
        }

        return null;
    }

    /// <summary>
    /// The ward a department-only admission (the classic flat record) is placed in: the first ward of that department
    /// in layout order, so the choice is stable and a rebuild repeats it.
    /// </summary>
    public WardDefinition? DefaultWardOf(HospitalDefinition hospital, string department) =>
        hospital.Wards.FirstOrDefault(w => string.Equals(w.Department, department, StringComparison.Ordinal));
}
