namespace HealthcareOrleans.Simulation.Faults;

/// <summary>
/// How many messages of each fault kind were delivered. Counted from the delivered messages themselves, so a fault
/// still held back when a run stops is not counted: the numbers are exactly what a consumer could have seen.
/// </summary>
public sealed class FaultInjectionCounts : IEquatable<FaultInjectionCounts>
{
    private readonly long[] _counts;

    public FaultInjectionCounts() : this(new long[FaultKinds.All.Count])
    {
    }

    private FaultInjectionCounts(long[] counts) => _counts = counts;

    public long Duplicate => this[FaultKind.Duplicate];

    public long OutOfOrder => this[FaultKind.OutOfOrder];

    public long Late => this[FaultKind.Late];

    public long MalformedJson => this[FaultKind.MalformedJson];

    public long UnknownWard => this[FaultKind.UnknownWard];

    public long ImpossibleTime => this[FaultKind.ImpossibleTime];

    public long Total => _counts.Sum();

    public long this[FaultKind kind] => _counts[(int)kind];

    /// <summary>A snapshot: the tally keeps counting in its own array.</summary>
    internal static FaultInjectionCounts From(ReadOnlySpan<long> counts) => new(counts.ToArray());

    public bool Equals(FaultInjectionCounts? other) => other is not null && _counts.AsSpan().SequenceEqual(other._counts);

    public override bool Equals(object? obj) => Equals(obj as FaultInjectionCounts);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var count in _counts)
        {
            hash.Add(count);
        }

        return hash.ToHashCode();
    }

    public override string ToString() =>
        string.Join(", ", FaultKinds.All.Select(kind => $"{kind}={this[kind]}"));
}
