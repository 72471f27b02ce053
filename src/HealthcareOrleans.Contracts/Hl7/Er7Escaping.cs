using System.Text;

namespace HealthcareOrleans.Contracts.Hl7;

/// <summary>
/// HL7 v2 escape sequences (v2.5 §2.7): <c>\F\ \S\ \T\ \R\ \E\</c> stand for the declared separators and the escape
/// character, <c>\Xhh…\</c> for bytes given in hex (read as UTF-8), <c>\H\</c>/<c>\N\</c> (highlighting) carry no text,
/// <c>\.br\</c> is a line break. Character-set switches (<c>\C…\ \M…\</c>), other formatting commands and locally
/// defined <c>\Z…\</c> sequences are kept as written: the engine maps identifiers and codes, never formatted text, so
/// keeping them loses nothing and guesses nothing.
/// </summary>
public static class Er7Escaping
{
    /// <summary>Checks that every escape character in a field opens a sequence that closes before the next separator.</summary>
    public static string? Problem(ReadOnlySpan<char> field, Er7Delimiters d)
    {
        var i = 0;
        while ((i = NextEscape(field, i, d.Escape)) >= 0)
        {
            var close = field[(i + 1)..].IndexOf(d.Escape);
            if (close < 0)
            {
                return $"an escape sequence starting at character {i + 1} is not closed";
            }

            var body = field.Slice(i + 1, close);
            if (body.IsEmpty || body.IndexOfAny([d.Field, d.Component, d.Repetition, d.SubComponent]) >= 0)
            {
                return $"the escape sequence at character {i + 1} is empty or spans a separator";
            }

            if (body[0] == 'X' && !IsHex(body[1..]))
            {
                return $"\\X{body[1..].ToString()}\\ at character {i + 1} is not an even number of hex digits";
            }

            i += close + 2;
        }

        return null;
    }

    /// <summary>The text of a value whose escapes <see cref="Problem"/> accepted.</summary>
    public static string Unescape(ReadOnlySpan<char> value, Er7Delimiters d)
    {
        if (value.IndexOf(d.Escape) < 0)
        {
            return value.ToString();
        }

        var text = new StringBuilder(value.Length);
        var i = 0;
        while (i < value.Length)
        {
            var close = value[i] == d.Escape ? value[(i + 1)..].IndexOf(d.Escape) : -1;
            if (close <= 0)
            {
                text.Append(value[i]);
                i++;
                continue;
            }

            var body = value.Slice(i + 1, close);
            switch (body)
            {
                case "F": text.Append(d.Field); break;
                case "S": text.Append(d.Component); break;
                case "T": text.Append(d.SubComponent); break;
                case "R": text.Append(d.Repetition); break;
                case "E": text.Append(d.Escape); break;
                case "H" or "N": break;
                case ".br": text.Append('\n'); break;
                default:
                    if (body[0] == 'X' && IsHex(body[1..]))
                    {
                        text.Append(Encoding.UTF8.GetString(Convert.FromHexString(body[1..])));
                    }
                    else
                    {
                        text.Append(value.Slice(i, close + 2));
                    }

                    break;
            }

            i += close + 2;
        }

        return text.ToString();
    }

    /// <summary>Text written into a field: separators and the escape character become their escape sequences.</summary>
    public static string Escape(string text, Er7Delimiters d)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(d);
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var code = c == d.Escape ? 'E' : c == d.Field ? 'F' : c == d.Component ? 'S' : c == d.SubComponent ? 'T' : c == d.Repetition ? 'R' : '\0';
            if (code != '\0')
            {
                escaped.Append(d.Escape).Append(code).Append(d.Escape);
            }
            else
            {
                // A line break or other control character would end the segment or break the frame.
                escaped.Append(char.IsControl(c) ? ' ' : c);
            }
        }

        return escaped.ToString();
    }

    private static int NextEscape(ReadOnlySpan<char> field, int from, char escape)
    {
        var at = field[from..].IndexOf(escape);
        return at < 0 ? -1 : from + at;
    }

    private static bool IsHex(ReadOnlySpan<char> digits)
    {
        if (digits.IsEmpty || digits.Length % 2 != 0)
        {
            return false;
        }

        foreach (var c in digits)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
