using HealthcareOrleans.Contracts.Hospital;

namespace HealthcareOrleans.Simulation.Model;

/// <summary>One hospital's run-time state: beds, waiting lists, its two arrival streams and the patients it has seen.</summary>
internal sealed class HospitalModel
{
    private readonly Dictionary<string, BedQueue> _queues = new(StringComparer.OrdinalIgnoreCase);

    public HospitalModel(HospitalDefinition definition, LengthOfStayModel stays, double arrivalsPer100Beds, double electiveShare)
    {
        Definition = definition;
        var wards = definition.Wards.Select(w => new WardBeds(w, this)).ToArray();
        Beds = new BedBoard(wards);
        EmergencyWard = wards.FirstOrDefault(w => DepartmentRoles.Of(w.Department) == DepartmentRole.Emergency);
        InpatientDepartments = wards
            .Where(w => DepartmentRoles.Of(w.Department) != DepartmentRole.Emergency)
            .Select(w => w.Department)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(d => new InpatientDepartment(
                d, DepartmentRoles.Of(d),
                wards.Where(w => string.Equals(w.Department, d, StringComparison.OrdinalIgnoreCase)).Sum(w => w.Definition.Beds) / stays.MedianFor(d).TotalDays))
            .ToArray();
        InpatientBeds = wards.Where(w => DepartmentRoles.Of(w.Department) != DepartmentRole.Emergency).Sum(w => w.Definition.Beds);

        // Volume scales with inpatient beds: a bigger hospital serves a bigger population. Without inpatient beds there
        // is nothing to plan, so a hospital of emergency cubicles only gets emergency attendances.
        var perDay = arrivalsPer100Beds * Math.Max(InpatientBeds, wards.Sum(w => w.Definition.Beds) - InpatientBeds) / 100.0;
        var elective = InpatientBeds > 0 ? electiveShare : 0;
        EmergencyArrivals = new ArrivalProcess(ArrivalProfile.Emergency, perDay * (1 - elective));
        ElectiveArrivals = new ArrivalProcess(ArrivalProfile.Elective, perDay * elective);
        PostalArea = PostalAreaOf(definition.HospitalId);
    }

    public HospitalDefinition Definition { get; }

    public string HospitalId => Definition.HospitalId;

    public BedBoard Beds { get; }

    /// <summary>Where emergency patients present; null for a hospital without one (then every emergency patient is admitted).</summary>
    public WardBeds? EmergencyWard { get; }

    /// <summary>Departments that admit, in layout order.</summary>
    public IReadOnlyList<InpatientDepartment> InpatientDepartments { get; }

    public int InpatientBeds { get; }

    public ArrivalProcess EmergencyArrivals { get; }

    public ArrivalProcess ElectiveArrivals { get; }

    /// <summary>The postcode area of the hospital's catchment, e.g. "RG" for RGH.</summary>
    public string PostalArea { get; }

    public List<PatientRecord> ReturningPatients { get; } = [];

    public string? DepartmentOf(DepartmentRole role) =>
        InpatientDepartments.FirstOrDefault(d => d.Role == role)?.Name;

    public BedQueue QueueFor(string department)
    {
        if (!_queues.TryGetValue(department, out var queue))
        {
            queue = new BedQueue();
            _queues.Add(department, queue);
        }

        return queue;
    }

    private static string PostalAreaOf(string hospitalId)
    {
        var letters = new string(hospitalId.Where(char.IsAsciiLetter).Take(2).Select(char.ToUpperInvariant).ToArray());
        return letters.Length == 2 ? letters : "HC";
    }
}

/// <param name="Throughput">Beds divided by the median stay in days: how many patients a day the department can take in.</param>
internal sealed record InpatientDepartment(string Name, DepartmentRole Role, double Throughput);
