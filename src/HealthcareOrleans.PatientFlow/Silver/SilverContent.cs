namespace HealthcareOrleans.PatientFlow.Silver;

/// <summary>
/// Whether two events with one event_id say the same thing. Where they were read (broker position) does not count:
/// a replay of an event is the same event; anything else that differs means the id was reused for another event.
/// </summary>
internal static class SilverContent
{
    public static bool Same(CleanEvent a, CleanEvent b) =>
        a with { Position = b.Position, Extensions = null } == b with { Extensions = null }
        && SameExtensions(a.Extensions, b.Extensions);

    private static bool SameExtensions(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b)
    {
        if (a is not { Count: > 0 })
        {
            return b is not { Count: > 0 };
        }

        return b is not null && a.Count == b.Count && a.All(f => b.TryGetValue(f.Key, out var value) && value == f.Value);
    }
}
