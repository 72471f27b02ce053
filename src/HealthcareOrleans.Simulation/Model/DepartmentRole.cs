using System.Collections.Frozen;

namespace HealthcareOrleans.Simulation.Model;

/// <summary>
/// What a department does clinically, which decides who goes there and for how long. Layouts name departments
/// freely, so the role is recognised from common names (<see cref="DepartmentRoles.Of"/>).
/// </summary>
public enum DepartmentRole
{
    Emergency,
    CriticalCare,
    Medicine,
    Geriatrics,
    Cardiology,
    Surgery,
    Orthopaedics,
    Paediatrics,
    Obstetrics,
    Other,
}

public static class DepartmentRoles
{
    private static readonly FrozenDictionary<string, DepartmentRole> ByName = new Dictionary<string, DepartmentRole>
    {
        ["Emergency"] = DepartmentRole.Emergency,
        ["Emergency Department"] = DepartmentRole.Emergency,
        ["Emergency Medicine"] = DepartmentRole.Emergency,
        ["A&E"] = DepartmentRole.Emergency,
        ["ED"] = DepartmentRole.Emergency,
        ["Urgent Care"] = DepartmentRole.Emergency,
        ["Critical Care"] = DepartmentRole.CriticalCare,
        ["Intensive Care"] = DepartmentRole.CriticalCare,
        ["ICU"] = DepartmentRole.CriticalCare,
        ["Medicine"] = DepartmentRole.Medicine,
        ["General Medicine"] = DepartmentRole.Medicine,
        ["Acute Medicine"] = DepartmentRole.Medicine,
        ["Internal Medicine"] = DepartmentRole.Medicine,
        ["Geriatrics"] = DepartmentRole.Geriatrics,
        ["Elderly Care"] = DepartmentRole.Geriatrics,
        ["Care of the Elderly"] = DepartmentRole.Geriatrics,
        ["Rehabilitation"] = DepartmentRole.Geriatrics,
        ["Cardiology"] = DepartmentRole.Cardiology,
        ["Surgery"] = DepartmentRole.Surgery,
        ["General Surgery"] = DepartmentRole.Surgery,
        ["Orthopaedics"] = DepartmentRole.Orthopaedics,
        ["Orthopedics"] = DepartmentRole.Orthopaedics,
        ["Trauma and Orthopaedics"] = DepartmentRole.Orthopaedics,
        ["Paediatrics"] = DepartmentRole.Paediatrics,
        ["Pediatrics"] = DepartmentRole.Paediatrics,
        ["Obstetrics"] = DepartmentRole.Obstetrics,
        ["Maternity"] = DepartmentRole.Obstetrics,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The role of a department name; <see cref="DepartmentRole.Other"/> for names not recognised.</summary>
    public static DepartmentRole Of(string department) =>
        ByName.TryGetValue(department.Trim(), out var role) ? role : DepartmentRole.Other;
}
