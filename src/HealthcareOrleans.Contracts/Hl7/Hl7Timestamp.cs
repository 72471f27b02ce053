namespace HealthcareOrleans.Contracts.Hl7;

/// <summary>
/// HL7 v2 DTM/TS values: <c>YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]</c>. The standard reads a time without
/// an offset in the sender's zone; the engine takes the sender's zone from MSH-7 when that carries one, and reads
/// the time as UTC when neither does (stated in the README: a feed that omits offsets must send UTC).
/// </summary>
public static class Hl7Timestamp
{
    /// <summary>Event times need at least the minute: a day or an hour alone cannot place a stay in a ward.</summary>
    public const int EventTimeDigits = 12;

    /// <summary>Parses a time of at least <paramref name="minimumDigits"/> digits (8 = a date, 12 = to the minute).</summary>
    /// <param name="senderOffset">The offset to assume when the value names none.</param>
    public static bool TryParse(string? text, int minimumDigits, TimeSpan senderOffset, out DateTimeOffset value)
    {
        value = default;
        if (!TrySplit(text, out var digits, out var fraction, out var offset) || digits.Length < minimumDigits)
        {
            return false;
        }

        static int Part(ReadOnlySpan<char> digits, int start, int length, int absent) =>
            digits.Length >= start + length ? int.Parse(digits.Slice(start, length), provider: null) : absent;

        var year = Part(digits, 0, 4, 0);
        var month = Part(digits, 4, 2, 1);
        var day = Part(digits, 6, 2, 1);
        var hour = Part(digits, 8, 2, 0);
        var minute = Part(digits, 10, 2, 0);
        var second = Part(digits, 12, 2, 0);
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var ticks = 0L;
        if (!fraction.IsEmpty)
        {
            ticks = int.Parse(fraction, provider: null) * (long)Math.Pow(10, 7 - fraction.Length);
        }

        var utcOffset = offset ?? senderOffset;
        if (utcOffset.Duration() > TimeSpan.FromHours(14))
        {
            return false;
        }

        var local = new DateTime(year, month, day, hour, minute, second).AddTicks(ticks);
        // Near year 1 or 9999 an offset can carry the instant outside what DateTimeOffset represents.
        var utcTicks = local.Ticks - utcOffset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        value = new DateTimeOffset(local, utcOffset);
        return true;
    }

    /// <summary>The offset a value names, or null when it names none (or does not parse).</summary>
    public static TimeSpan? OffsetOf(string? text) => TrySplit(text, out _, out _, out var offset) ? offset : null;

    /// <summary>The calendar date a value names, as written (a birth date is a local date, never shifted to UTC).</summary>
    public static bool TryParseDate(string? text, out DateOnly date)
    {
        date = default;
        if (!TryParse(text, 8, TimeSpan.Zero, out var value))
        {
            return false;
        }

        date = DateOnly.FromDateTime(value.DateTime);
        return true;
    }

    private static bool TrySplit(string? text, out ReadOnlySpan<char> digits, out ReadOnlySpan<char> fraction, out TimeSpan? offset)
    {
        digits = fraction = default;
        offset = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        var sign = span.IndexOfAny('+', '-');
        if (sign >= 0)
        {
            var zone = span[(sign + 1)..];
            if (zone.Length != 4 || !AllDigits(zone))
            {
                return false;
            }

            var hours = int.Parse(zone[..2], provider: null);
            var minutes = int.Parse(zone[2..], provider: null);
            if (minutes > 59)
            {
                return false;
            }

            var magnitude = new TimeSpan(hours, minutes, 0);
            offset = span[sign] == '-' ? -magnitude : magnitude;
            span = span[..sign];
        }

        var dot = span.IndexOf('.');
        if (dot >= 0)
        {
            fraction = span[(dot + 1)..];
            span = span[..dot];
            if (fraction.IsEmpty || fraction.Length > 4 || !AllDigits(fraction) || span.Length != 14)
            {
                return false;
            }
        }

        digits = span;
        return span.Length is 4 or 6 or 8 or 10 or 12 or 14 && AllDigits(span);
    }

    private static bool AllDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
