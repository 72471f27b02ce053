using System.Globalization;
using System.Text;

namespace HealthcareOrleans.Simulation.Model;

/// <summary>
/// Patient, encounter and event ids: a run prefix plus a counter, so they are unique within a run, reproducible for
/// a seed and distinct between runs that start at different times (two runs into one engine must not collide).
/// </summary>
internal sealed class IdSource(string prefix)
{
    private long _patients;
    private long _encounters;
    private long _events;

    public string Prefix { get; } = prefix;

    /// <summary>Six hex digits of an FNV-1a hash of the seed and start: stable across processes, unlike string.GetHashCode.</summary>
    public static string DerivePrefix(int seed, DateTimeOffset start)
    {
        const ulong offsetBasis = 14695981039346656037;
        const ulong prime = 1099511628211;
        var hash = offsetBasis;
        foreach (var b in Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{seed}|{start.UtcTicks}")))
        {
            hash = (hash ^ b) * prime;
        }

        return (hash & 0xFFFFFF).ToString("X6", CultureInfo.InvariantCulture);
    }

    public string NextPatientId() => string.Create(CultureInfo.InvariantCulture, $"P{Prefix}{++_patients:D6}");

    public string NextEncounterId() => string.Create(CultureInfo.InvariantCulture, $"E{Prefix}{++_encounters:D7}");

    public string NextEventId() => string.Create(CultureInfo.InvariantCulture, $"EV-{Prefix}-{++_events:D9}");
}
