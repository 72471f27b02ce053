namespace HealthcareOrleans.Simulation.Faults;

/// <summary>
/// How often each fault is injected: a probability per generated event, all 0 by default. At most one fault is
/// applied to an event; a fault drawn for an event it cannot apply to (no later event of the same patient to
/// overtake, no ward to replace) is carried to the next event that can take it, so the counts follow the rates.
/// </summary>
public sealed record FaultInjectionOptions
{
    public static FaultInjectionOptions None { get; } = new();

    public double DuplicateRate { get; init; }

    public double OutOfOrderRate { get; init; }

    public double LateRate { get; init; }

    public double MalformedJsonRate { get; init; }

    public double UnknownWardRate { get; init; }

    public double ImpossibleTimeRate { get; init; }

    public bool IsEnabled => TotalRate > 0;

    public double TotalRate => DuplicateRate + OutOfOrderRate + LateRate + MalformedJsonRate + UnknownWardRate + ImpossibleTimeRate;

    public double RateOf(FaultKind kind) => kind switch
    {
        FaultKind.Duplicate => DuplicateRate,
        FaultKind.OutOfOrder => OutOfOrderRate,
        FaultKind.Late => LateRate,
        FaultKind.MalformedJson => MalformedJsonRate,
        FaultKind.UnknownWard => UnknownWardRate,
        FaultKind.ImpossibleTime => ImpossibleTimeRate,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown fault kind."),
    };

    /// <summary>Problems in plain words; empty when the rates are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        foreach (var kind in FaultKinds.All)
        {
            var rate = RateOf(kind);
            if (double.IsNaN(rate) || rate < 0 || rate > 1)
            {
                problems.Add($"Faults.{kind}Rate must be a probability between 0 and 1 (it is {rate}).");
            }
        }

        if (problems.Count == 0 && TotalRate > 1)
        {
            problems.Add($"The fault rates add up to {TotalRate}; at most one fault is injected per event, so their sum must be ≤ 1.");
        }

        return problems;
    }
}
