using System.Text;
using System.Text.Unicode;
using HealthcareOrleans.Contracts.Events;

namespace HealthcareOrleans.Contracts.Hl7;

/// <summary>
/// Strict ER7 (pipe-delimited HL7 v2, versions 2.3 – 2.8) parser. Segments end with <c>\r</c> (the standard),
/// <c>\n</c> or <c>\r\n</c> (files edited on other systems); empty lines between segments are ignored. Text is UTF-8
/// unless MSH-18 declares ISO 8859-1. Every problem is a reason and a detail naming the segment and field, never an
/// exception, and the input limits bound what a hostile sender can make it allocate.
/// </summary>
public static class Er7Parser
{
    private static ReadOnlySpan<byte> Msh => "MSH"u8;

    public static Er7ParseResult Parse(ReadOnlySpan<byte> payload, DecodeLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (payload.Length > limits.MaxPayloadBytes)
        {
            return Er7ParseResult.Failed(RejectionReasons.Oversize, $"{payload.Length} bytes, limit {limits.MaxPayloadBytes}");
        }

        if (!payload.StartsWith(Msh))
        {
            return Er7ParseResult.Failed(Hl7RejectionReasons.MalformedHl7, "the message does not begin with an MSH segment");
        }

        if (Text(payload) is not { } text)
        {
            return Er7ParseResult.Failed(Hl7RejectionReasons.MalformedHl7, "the message is neither valid UTF-8 nor declared ISO 8859-1 in MSH-18");
        }

        var control = text.AsSpan().IndexOfAnyInRange('\0', '\u001f');
        while (control >= 0 && text[control] is '\r' or '\n' or '\t')
        {
            var next = text.AsSpan(control + 1).IndexOfAnyInRange('\0', '\u001f');
            control = next < 0 ? -1 : control + 1 + next;
        }

        if (control >= 0)
        {
            return Er7ParseResult.Failed(Hl7RejectionReasons.MalformedHl7, $"control character U+{(int)text[control]:X4} at character {control + 1}");
        }

        var headerEnd = text.AsSpan().IndexOfAny('\r', '\n');
        if (!Er7Delimiters.TryRead(headerEnd < 0 ? text : text.AsSpan(0, headerEnd), out var delimiters, out var problem))
        {
            return Er7ParseResult.Failed(Hl7RejectionReasons.MalformedHl7, problem!);
        }

        var segments = new List<Er7Segment>();
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            // Only CR and LF end a segment (string.EnumerateLines would also split on U+0085, U+2028 and U+2029).
            var end = rest.IndexOfAny('\r', '\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            if (line.IsEmpty)
            {
                continue;
            }

            if (segments.Count == limits.MaxHl7Segments)
            {
                return Er7ParseResult.Failed(Hl7RejectionReasons.TooManySegments, $"more than {limits.MaxHl7Segments} segments");
            }

            if (ParseSegment(line, delimiters, segments.Count + 1, limits, out var segment) is { } failure)
            {
                return failure;
            }

            segments.Add(segment!);
        }

        var message = new Er7Message(delimiters, segments);
        return CheckHeader(message) ?? new Er7ParseResult(message, null, null);
    }

    private static Er7ParseResult? ParseSegment(ReadOnlySpan<char> line, Er7Delimiters d, int number, DecodeLimits limits, out Er7Segment? segment)
    {
        segment = null;
        if (line.Length < 3 || !char.IsAsciiLetterUpper(line[0]) || !IsNameChar(line[1]) || !IsNameChar(line[2]) || (line.Length > 3 && line[3] != d.Field))
        {
            var shown = line[..Math.Min(line.Length, 8)].ToString();
            return Er7ParseResult.Failed(Hl7RejectionReasons.MalformedHl7,
                $"segment {number} ('{shown}') does not start with a 3-character name followed by the field separator '{d.Field}'");
        }

        var name = line[..3].ToString();
        if (name == "MSH" && number != 1)
        {
            return Er7ParseResult.Failed(Hl7RejectionReasons.MalformedHl7, $"segment {number} is a second MSH: one message per payload");
        }

        var parts = line.ToString().Split(d.Field);
        string[] fields;
        if (name == "MSH")
        {
            // MSH-1 is the separator itself, so the split is one field short of the standard's numbering.
            fields = new string[parts.Length + 1];
            fields[0] = name;
            fields[1] = d.Field.ToString();
            parts.AsSpan(1).CopyTo(fields.AsSpan(2));
        }
        else
        {
            fields = parts;
        }

        for (var i = 1; i < fields.Length; i++)
        {
            if (fields[i].Length > limits.MaxHl7FieldLength)
            {
                return Er7ParseResult.Failed(RejectionReasons.For(RejectionReasons.FieldTooLong, $"{name}-{i}"),
                    $"{name}-{i} is {fields[i].Length} characters, limit {limits.MaxHl7FieldLength}");
            }

            if ((name != "MSH" || i > 2) && Er7Escaping.Problem(fields[i], d) is { } escapeProblem)
            {
                return Er7ParseResult.Failed(Hl7RejectionReasons.MalformedHl7, $"{name}-{i}: {escapeProblem}");
            }
        }

        segment = new Er7Segment(fields, d);
        return null;
    }

    private static Er7ParseResult? CheckHeader(Er7Message message)
    {
        var version = message.Version;
        if (version.Length == 0)
        {
            return Er7ParseResult.Failed(RejectionReasons.For(RejectionReasons.MissingField, "MSH-12"), "MSH-12 (version) is required");
        }

        return IsSupportedVersion(version)
            ? null
            : Er7ParseResult.Failed(Hl7RejectionReasons.UnsupportedVersion, $"version {version} is not between 2.3 and 2.8");
    }

    /// <summary>2.3, 2.3.1, 2.4, 2.5, 2.5.1, 2.6, 2.7, 2.7.1, 2.8, 2.8.1, 2.8.2: the releases whose ADT segments are mapped.</summary>
    private static bool IsSupportedVersion(string version) =>
        version.Length >= 3 && version[0] == '2' && version[1] == '.' && version[2] is >= '3' and <= '8'
        && (version.Length == 3 || (version.Length == 5 && version[3] == '.' && char.IsAsciiDigit(version[4])));

    private static bool IsNameChar(char c) => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c);

    /// <summary>The payload as text in the character set MSH-18 declares; null when the bytes are not in it.</summary>
    private static string? Text(ReadOnlySpan<byte> payload)
    {
        var latin1 = Encoding.Latin1.GetString(payload);
        var charset = CharacterSetOf(latin1);
        if (charset is "8859/1")
        {
            return latin1;
        }

        return Utf8.IsValid(payload) ? Encoding.UTF8.GetString(payload) : null;
    }

    private static string? CharacterSetOf(string text)
    {
        var end = text.AsSpan().IndexOfAny('\r', '\n');
        var msh = end < 0 ? text.AsSpan() : text.AsSpan(0, end);
        if (msh.Length < 4)
        {
            return null;
        }

        // MSH-18 is the 17th separator-delimited part after "MSH" (MSH-1 is the separator itself).
        var separator = msh[3];
        var rest = msh[4..];
        for (var field = 2; field < 18; field++)
        {
            var next = rest.IndexOf(separator);
            if (next < 0)
            {
                return null;
            }

            rest = rest[(next + 1)..];
        }

        var close = rest.IndexOf(separator);
        var value = (close < 0 ? rest : rest[..close]).Trim();
        var repetition = value.IndexOf(msh.Length > 5 ? msh[5] : '~');
        return (repetition < 0 ? value : value[..repetition]).ToString();
    }
}
