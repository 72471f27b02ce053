using System.Globalization;

namespace HealthcareOrleans.Contracts.Events;

/// <summary>ISO-8601 timestamps only: a locale-dependent date such as 03/04/2025 is ambiguous in a hospital feed.</summary>
public static class IsoTimestamp
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd' 'HH:mm:ssK", "yyyy-MM-dd' 'HH:mm:ss.FFFFFFFK",
    ];

    /// <param name="requireOffset">The engine's events must name their offset; the classic flat record was written in UTC without one.</param>
    public static bool TryParse(string text, bool requireOffset, out DateTimeOffset value)
    {
        var span = text.AsSpan().Trim();
        if (requireOffset && !HasExplicitOffset(span))
        {
            value = default;
            return false;
        }

        // RFC 3339 §5.6 allows a lower-case "t" and "z"; the parse formats know only upper case.
        Span<char> upper = span.Length <= 64 ? stackalloc char[span.Length] : new char[span.Length];
        span.ToUpperInvariant(upper);
        return DateTimeOffset.TryParseExact(upper, Formats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out value);
    }

    public static bool TryParseDate(string text, out DateOnly value) =>
        DateOnly.TryParseExact(text.AsSpan().Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

    private static bool HasExplicitOffset(ReadOnlySpan<char> text)
    {
        if (text.Length < 11)
        {
            return false;
        }

        var time = text[11..];
        return time.IndexOfAny('Z', 'z') >= 0 || time.IndexOfAny('+', '-') >= 0;
    }
}
