namespace HealthcareOrleans.Simulation.Model;

/// <summary>
/// How long a patient stays in one ward: log-normal per department, the usual fit for hospital stays (most go home
/// within days, a long tail stays weeks). Medians follow NHS-style averages for each specialty.
/// </summary>
public sealed class LengthOfStayModel
{
    private static readonly TimeSpan ShortestStay = TimeSpan.FromHours(4);
    private static readonly TimeSpan LongestStay = TimeSpan.FromDays(120);

    private readonly IReadOnlyDictionary<string, TimeSpan> _overrides;
    private readonly double _sigma;

    public LengthOfStayModel(IReadOnlyDictionary<string, TimeSpan>? medianByDepartment, double sigma)
    {
        _overrides = medianByDepartment is null
            ? new Dictionary<string, TimeSpan>()
            : new Dictionary<string, TimeSpan>(medianByDepartment, StringComparer.OrdinalIgnoreCase);
        _sigma = sigma;
    }

    public static TimeSpan DefaultMedian(DepartmentRole role) => role switch
    {
        DepartmentRole.CriticalCare => TimeSpan.FromDays(3),
        DepartmentRole.Medicine => TimeSpan.FromDays(5),
        DepartmentRole.Geriatrics => TimeSpan.FromDays(8),
        DepartmentRole.Cardiology => TimeSpan.FromDays(3),
        DepartmentRole.Surgery => TimeSpan.FromDays(4),
        DepartmentRole.Orthopaedics => TimeSpan.FromDays(5),
        DepartmentRole.Paediatrics => TimeSpan.FromDays(2),
        DepartmentRole.Obstetrics => TimeSpan.FromDays(2),
        // An emergency "ward" holds patients for hours; it only appears here if a layout admits into it.
        DepartmentRole.Emergency => TimeSpan.FromHours(6),
        _ => TimeSpan.FromDays(4),
    };

    public TimeSpan MedianFor(string department) =>
        _overrides.TryGetValue(department, out var median) ? median : DefaultMedian(DepartmentRoles.Of(department));

    internal TimeSpan Sample(string department, Random random) =>
        random.LogNormal(MedianFor(department), _sigma, ShortestStay, LongestStay);
}
