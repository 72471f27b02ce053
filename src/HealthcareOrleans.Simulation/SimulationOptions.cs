using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Simulation.Faults;
using HealthcareOrleans.Simulation.Model;

namespace HealthcareOrleans.Simulation;

/// <summary>
/// Everything a simulation run depends on. The same options (with an explicit <see cref="Start"/>) and the same
/// <see cref="Seed"/> give the same messages, byte for byte.
/// </summary>
public sealed record SimulationOptions
{
    /// <summary>How far back a run starts when <see cref="Start"/> is not set: enough history for the census to fill up.</summary>
    public static readonly TimeSpan DefaultHistory = TimeSpan.FromDays(30);

    public HospitalLayout Layout { get; init; } = HospitalLayout.Default;

    public int Seed { get; init; } = 1;

    /// <summary>Simulated start time, truncated to whole seconds; null means now minus <see cref="DefaultHistory"/>.</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>Simulated seconds per real second; 0 or infinity runs as fast as possible (never past the wall clock).</summary>
    public double Speed { get; init; }

    /// <summary>Most messages released per real second; 0 means unlimited.</summary>
    public double Rate { get; init; }

    /// <summary>Stop after this many messages; 0 means run until cancelled.</summary>
    public long Count { get; init; }

    public SimulationFormat Format { get; init; } = SimulationFormat.Adt;

    /// <summary>
    /// Arrivals (emergency and elective) per day for every 100 inpatient beds (emergency department cubicles do not
    /// count). The default keeps a hospital near 85–95 % occupancy with the default stays, so queues form at peaks.
    /// </summary>
    public double DailyArrivalsPer100Beds { get; init; } = 30;

    /// <summary>
    /// The share of arrivals that are planned (elective) admissions; the rest come through the emergency department.
    /// The default makes about a fifth of admissions planned, as for ordinary (overnight) admissions in NHS statistics.
    /// </summary>
    public double ElectiveShare { get; init; } = 0.08;

    /// <summary>The chance an arrival is a patient seen before (a readmission with the same patient_id).</summary>
    public double ReturningPatientShare { get; init; } = 0.2;

    public TriageMix Triage { get; init; } = TriageMix.Default;

    /// <summary>
    /// Median length of stay by department name (case-insensitive), overriding the defaults of
    /// <see cref="LengthOfStayModel"/> (Critical Care 3 days, Surgery 4, Medicine 5, Geriatrics 8, Obstetrics 2, Paediatrics 2…).
    /// </summary>
    public IReadOnlyDictionary<string, TimeSpan>? MedianStayByDepartment { get; init; }

    /// <summary>Spread of the log-normal length of stay (σ of its logarithm): 0.7 gives the long right tail seen in hospitals.</summary>
    public double StaySpread { get; init; } = 0.7;

    public FaultInjectionOptions Faults { get; init; } = FaultInjectionOptions.None;

    /// <summary>
    /// Prefix that makes patient, encounter and event ids unique to a run; null derives one from the seed and start,
    /// so two runs into the same engine do not collide while a repeated run reproduces its ids.
    /// </summary>
    public string? IdPrefix { get; init; }

    public bool RunsAsFastAsPossible => Speed == 0 || double.IsPositiveInfinity(Speed);

    /// <summary>Problems in plain words; empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Layout is null)
        {
            problems.Add("Layout is required: use HospitalLayout.Default or HospitalLayout.LoadFile(path).");
        }
        else
        {
            try
            {
                Layout.Validate();
            }
            catch (InvalidDataException ex)
            {
                problems.Add("Layout is invalid: " + ex.Message);
            }
        }

        if (double.IsNaN(Speed) || Speed < 0)
        {
            problems.Add($"Speed must be ≥ 0 simulated seconds per real second (0 = as fast as possible); it is {Speed}.");
        }

        if (double.IsNaN(Rate) || double.IsInfinity(Rate) || Rate < 0)
        {
            problems.Add($"Rate must be ≥ 0 messages per second (0 = unlimited); it is {Rate}.");
        }

        if (Count < 0)
        {
            problems.Add($"Count must be ≥ 0 (0 = run until cancelled); it is {Count}.");
        }

        if (!Enum.IsDefined(Format))
        {
            problems.Add($"Format must be Adt or FlatAdmission; it is {Format}.");
        }

        if (double.IsNaN(DailyArrivalsPer100Beds) || double.IsInfinity(DailyArrivalsPer100Beds) || DailyArrivalsPer100Beds <= 0)
        {
            problems.Add($"DailyArrivalsPer100Beds must be > 0; it is {DailyArrivalsPer100Beds}.");
        }

        AddIfNotProbability(problems, ElectiveShare, nameof(ElectiveShare));
        AddIfNotProbability(problems, ReturningPatientShare, nameof(ReturningPatientShare));
        if (double.IsNaN(StaySpread) || StaySpread < 0 || StaySpread > 2)
        {
            problems.Add($"StaySpread must be between 0 and 2; it is {StaySpread}.");
        }

        if (Triage is null)
        {
            problems.Add("Triage is required: use TriageMix.Default.");
        }

        foreach (var (department, median) in MedianStayByDepartment?.OrderBy(p => p.Key, StringComparer.Ordinal)
                     ?? Enumerable.Empty<KeyValuePair<string, TimeSpan>>())
        {
            if (median < TimeSpan.FromHours(1) || median > TimeSpan.FromDays(365))
            {
                problems.Add($"MedianStayByDepartment['{department}'] must be between 1 hour and 365 days; it is {median}.");
            }
        }

        if (Faults is null)
        {
            problems.Add("Faults is required: use FaultInjectionOptions.None.");
        }
        else
        {
            problems.AddRange(Faults.Validate());
            if (Format == SimulationFormat.FlatAdmission && Faults.UnknownWardRate > 0)
            {
                problems.Add("Faults.UnknownWardRate needs Format=Adt: the flat admission record has no ward_id to corrupt.");
            }
        }

        if (IdPrefix is not null && (IdPrefix.Length is 0 or > 16 || !IdPrefix.All(char.IsAsciiLetterOrDigit)))
        {
            problems.Add($"IdPrefix must be 1–16 ASCII letters or digits; it is '{IdPrefix}'.");
        }

        return problems;
    }

    /// <exception cref="ArgumentException">The options are not usable; the message lists every problem.</exception>
    public void ThrowIfInvalid()
    {
        var problems = Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("The simulation options are invalid: " + string.Join(" ", problems));
        }
    }

    private static void AddIfNotProbability(List<string> problems, double value, string name)
    {
        if (double.IsNaN(value) || value < 0 || value > 1)
        {
            problems.Add($"{name} must be between 0 and 1; it is {value}.");
        }
    }
}
