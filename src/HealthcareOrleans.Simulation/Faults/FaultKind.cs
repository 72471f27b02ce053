namespace HealthcareOrleans.Simulation.Faults;

/// <summary>
/// The kinds of bad input the simulator can inject. Duplicates and the three corruptions are extra messages sent
/// next to the genuine one, so the engine's live state stays right and each injected message maps to exactly one
/// engine reaction; out-of-order and late faults move the genuine message itself.
/// </summary>
public enum FaultKind
{
    /// <summary>The same bytes sent twice: the engine must deduplicate by event_id.</summary>
    Duplicate,

    /// <summary>Delivered right after a later event of the same patient.</summary>
    OutOfOrder,

    /// <summary>Held back and delivered minutes of simulated time after it occurred, behind other traffic.</summary>
    Late,

    /// <summary>An extra copy whose bytes are truncated or written in the wrong encoding: fails to decode as malformed_json.</summary>
    MalformedJson,

    /// <summary>An extra copy (own event_id) naming a ward that is not in the hospital layout.</summary>
    UnknownWard,

    /// <summary>An extra copy (own event_id) stamped hours in the future, or a discharge dated before its admission.</summary>
    ImpossibleTime,
}

public static class FaultKinds
{
    /// <summary>Every kind in declaration order: the order the injector draws and reports them in.</summary>
    public static IReadOnlyList<FaultKind> All { get; } = Enum.GetValues<FaultKind>();
}
