using System.Globalization;
using System.Text;
using HealthcareOrleans.Contracts.Events;

namespace HealthcareOrleans.Contracts.Hl7;

/// <summary>The acknowledgement codes of HL7 original mode (MSA-1).</summary>
public static class AckCodes
{
    /// <summary>Application Accept: in the broker's log and decodable.</summary>
    public const string Accept = "AA";

    /// <summary>Application Error: the content is wrong (unreadable, a field missing or bad); fix it before sending again.</summary>
    public const string Error = "AE";

    /// <summary>Application Reject: a message type, trigger or version the engine does not take, or the broker is unavailable.</summary>
    public const string Reject = "AR";
}

/// <summary>
/// Builds the ACK for a received message in the sender's own separators and version: sender and receiver swapped
/// (MSH-3/4 ↔ MSH-5/6), MSA-2 = the message's MSH-10, and for a refusal an ERR segment with the HL7 error code
/// (table 0357) and the engine's reason, also in MSA-3 for receivers that read only that. A message whose MSH cannot
/// be read is answered with the standard separators and an empty MSA-2.
/// </summary>
public static class Hl7Acknowledgement
{
    private const int MaxEchoedField = 256;
    private const int MaxText = 512;

    /// <summary>AE for content problems, AR for what the engine does not take (see <see cref="AckCodes"/>).</summary>
    public static string CodeFor(string reason) => RejectionReasons.CodeOf(reason) switch
    {
        Hl7RejectionReasons.UnsupportedMessageType or Hl7RejectionReasons.UnsupportedTrigger or Hl7RejectionReasons.UnsupportedVersion
            or Hl7RejectionReasons.BrokerUnavailable => AckCodes.Reject,
        _ => AckCodes.Error,
    };

    /// <param name="original">The received message (its MSH is read without the parser, so even a broken message gets an addressed answer).</param>
    /// <param name="controlId">This ACK's own MSH-10.</param>
    /// <param name="reason">The refusal's reason, null for AA.</param>
    public static byte[] Build(ReadOnlySpan<byte> original, string code, string controlId, DateTimeOffset now, string? reason = null, string? detail = null)
    {
        var header = HeaderOf(original);
        var d = header.Delimiters;
        string Echo(int field) => header.Field(field) is { Length: <= MaxEchoedField } value ? value : string.Empty;
        var version = header.Field(12) is { Length: > 0 and <= 16 } v ? v : "2.5.1";
        var trigger = header.Field(9).Split(d.Component) is [_, { Length: > 0 and <= 8 } t, ..] ? t : string.Empty;
        var processing = Echo(11) is { Length: > 0 } p ? p : "P";
        var f = d.Field;
        var ack = new StringBuilder(256)
            .Append("MSH").Append(f).Append(d.EncodingCharacters).Append(f)
            .Append(Echo(5)).Append(f).Append(Echo(6)).Append(f).Append(Echo(3)).Append(f).Append(Echo(4)).Append(f)
            .Append(now.ToString("yyyyMMddHHmmss.ffff", CultureInfo.InvariantCulture)).Append(Offset(now)).Append(f).Append(f)
            .Append("ACK").Append(d.Component).Append(trigger).Append(d.Component).Append("ACK").Append(f)
            .Append(Er7Escaping.Escape(controlId, d)).Append(f).Append(processing).Append(f).Append(version).Append('\r');
        var text = reason is null ? null : Er7Escaping.Escape(Truncate(detail is null ? reason : $"{reason}: {detail}"), d);
        ack.Append("MSA").Append(f).Append(code).Append(f).Append(Echo(10));
        if (text is not null)
        {
            ack.Append(f).Append(text);
        }

        ack.Append('\r');
        if (reason is not null)
        {
            var (number, description) = ErrorCodeOf(reason);
            if (version.StartsWith("2.3", StringComparison.Ordinal) || version.StartsWith("2.4", StringComparison.Ordinal))
            {
                // Before v2.5, ERR-1 carries location and code as one composite.
                ack.Append("ERR").Append(f).Append(d.Component).Append(d.Component).Append(d.Component)
                    .Append(number).Append(d.SubComponent).Append(description).Append(d.SubComponent).Append("HL70357").Append('\r');
            }
            else
            {
                ack.Append("ERR").Append(f).Append(f).Append(f)
                    .Append(number).Append(d.Component).Append(description).Append(d.Component).Append("HL70357").Append(f)
                    .Append('E').Append(f).Append(f).Append(f).Append(f).Append(text).Append('\r');
            }
        }

        return Encoding.UTF8.GetBytes(ack.ToString());
    }

    /// <summary>HL7 table 0357 for a reason: 100 structure, 101 missing field, 102 bad value, 200/201/203 unsupported, 207 internal.</summary>
    private static (string Number, string Description) ErrorCodeOf(string reason) => RejectionReasons.CodeOf(reason) switch
    {
        Hl7RejectionReasons.MalformedHl7 or Hl7RejectionReasons.TooManySegments or RejectionReasons.MalformedJson => ("100", "Segment sequence error"),
        RejectionReasons.MissingField => ("101", "Required field missing"),
        Hl7RejectionReasons.UnsupportedMessageType => ("200", "Unsupported message type"),
        Hl7RejectionReasons.UnsupportedTrigger => ("201", "Unsupported event code"),
        Hl7RejectionReasons.UnsupportedVersion => ("203", "Unsupported version id"),
        Hl7RejectionReasons.BrokerUnavailable => ("207", "Application internal error"),
        _ => ("102", "Data type error"),
    };

    private static string Truncate(string text) => text.Length <= MaxText ? text : text[..MaxText];

    private static string Offset(DateTimeOffset now)
    {
        var offset = now.Offset;
        return (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString("hhmm", CultureInfo.InvariantCulture);
    }

    private static Header HeaderOf(ReadOnlySpan<byte> original)
    {
        var end = original.IndexOfAny((byte)'\r', (byte)'\n');
        var line = Encoding.UTF8.GetString(end < 0 ? original[..Math.Min(original.Length, 4096)] : original[..Math.Min(end, 4096)]);
        if (!line.StartsWith("MSH", StringComparison.Ordinal) || !Er7Delimiters.TryRead(line, out var delimiters, out _))
        {
            return new Header(Er7Delimiters.Standard, []);
        }

        return new Header(delimiters, line.Split(delimiters.Field));
    }

    /// <summary>MSH fields as written; <c>Field(n)</c> is MSH-n (the split is one short: MSH-1 is the separator).</summary>
    private sealed record Header(Er7Delimiters Delimiters, string[] Parts)
    {
        public string Field(int number) => number >= 2 && number - 1 < Parts.Length ? Parts[number - 1] : string.Empty;
    }
}
