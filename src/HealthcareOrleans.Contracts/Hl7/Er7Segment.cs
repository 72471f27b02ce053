namespace HealthcareOrleans.Contracts.Hl7;

/// <summary>
/// One segment, fields kept as written (escaped) and numbered as the standard numbers them: <c>Field(3)</c> of PID is
/// PID-3, and for MSH, <c>Field(1)</c> is the field separator itself and <c>Field(2)</c> the encoding characters.
/// Repetitions, components and sub-components are split on access, then unescaped.
/// </summary>
public sealed class Er7Segment
{
    private readonly string[] _fields;

    internal Er7Segment(string[] fields, Er7Delimiters delimiters)
    {
        _fields = fields;
        Delimiters = delimiters;
    }

    public string Name => _fields[0];

    public Er7Delimiters Delimiters { get; }

    /// <summary>The highest field number present.</summary>
    public int FieldCount => _fields.Length - 1;

    /// <summary>Field <paramref name="number"/> as written, escapes included; empty when absent.</summary>
    public string Field(int number) => number >= 1 && number < _fields.Length ? _fields[number] : string.Empty;

    /// <summary>The repetitions of a field, as written (MSH-1 and MSH-2 never repeat).</summary>
    public IReadOnlyList<string> Repetitions(int field)
    {
        var raw = Field(field);
        if (raw.Length == 0)
        {
            return [];
        }

        return Name == "MSH" && field <= 2 ? [raw] : raw.Split(Delimiters.Repetition);
    }

    /// <summary>
    /// One value, unescaped, or null when empty: field, repetition (0-based), component and sub-component (1-based,
    /// as in "PID-3.4.1"). A component beyond those written is empty, as the standard reads a missing trailing one.
    /// </summary>
    public string? Value(int field, int component = 1, int subComponent = 1, int repetition = 0)
    {
        var repetitions = Repetitions(field);
        return repetition < repetitions.Count ? ValueOf(repetitions[repetition], component, subComponent) : null;
    }

    /// <summary>A component (and sub-component) of one repetition as written, unescaped, or null when empty.</summary>
    public string? ValueOf(string repetition, int component = 1, int subComponent = 1)
    {
        var part = Nth(repetition, Delimiters.Component, component);
        part = Nth(part, Delimiters.SubComponent, subComponent);
        var text = Er7Escaping.Unescape(part, Delimiters).Trim();
        return text.Length == 0 ? null : text;
    }

    private static ReadOnlySpan<char> Nth(ReadOnlySpan<char> text, char separator, int position)
    {
        for (var i = 1; i < position; i++)
        {
            var next = text.IndexOf(separator);
            if (next < 0)
            {
                return [];
            }

            text = text[(next + 1)..];
        }

        var end = text.IndexOf(separator);
        return end < 0 ? text : text[..end];
    }
}
