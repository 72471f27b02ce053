namespace HealthcareOrleans.Contracts.Hl7;

/// <summary>A parsed ER7 message: its separators and segments in order, the first being MSH.</summary>
public sealed class Er7Message
{
    internal Er7Message(Er7Delimiters delimiters, IReadOnlyList<Er7Segment> segments)
    {
        Delimiters = delimiters;
        Segments = segments;
    }

    public Er7Delimiters Delimiters { get; }

    public IReadOnlyList<Er7Segment> Segments { get; }

    public Er7Segment Header => Segments[0];

    /// <summary>MSH-12.1, e.g. 2.5.1.</summary>
    public string Version => Header.Value(12) ?? string.Empty;

    /// <summary>MSH-9.1, e.g. ADT.</summary>
    public string? MessageType => Header.Value(9, 1);

    /// <summary>MSH-9.2, or EVN-1 for senders of v2.3 that put the trigger there only.</summary>
    public string? TriggerEvent => Header.Value(9, 2) ?? First("EVN")?.Value(1);

    /// <summary>MSH-10, the sender's id of this message.</summary>
    public string? ControlId => Header.Value(10);

    public Er7Segment? First(string name)
    {
        foreach (var segment in Segments)
        {
            if (segment.Name == name)
            {
                return segment;
            }
        }

        return null;
    }
}
