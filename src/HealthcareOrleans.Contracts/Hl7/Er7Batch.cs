namespace HealthcareOrleans.Contracts.Hl7;

/// <summary>
/// Splits an .hl7 file into messages: a UTF-8 byte-order mark is dropped, each segment starting with MSH begins a
/// message, the batch envelope (FHS, BHS, BTS, FTS) is dropped, and each message's segments are re-joined with CR,
/// the standard terminator MLLP carries. Bytes, not text, so a file in any character set passes through unchanged.
/// </summary>
public static class Er7Batch
{
    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <param name="problem">Set when the file holds segments before its first MSH.</param>
    public static IReadOnlyList<byte[]> Split(ReadOnlySpan<byte> file, out string? problem)
    {
        problem = null;
        if (file.StartsWith(ByteOrderMark))
        {
            file = file[ByteOrderMark.Length..];
        }

        var messages = new List<byte[]>();
        var current = new List<byte>();
        var lineNumber = 0;
        while (!file.IsEmpty)
        {
            var end = file.IndexOfAny((byte)'\r', (byte)'\n');
            var line = end < 0 ? file : file[..end];
            file = end < 0 ? [] : file[(end + 1)..];
            lineNumber++;
            if (line.IsEmpty || IsEnvelope(line))
            {
                continue;
            }

            if (line.StartsWith("MSH"u8))
            {
                Flush(current, messages);
            }
            else if (current.Count == 0)
            {
                problem ??= $"line {lineNumber} is a segment before the first MSH";
                continue;
            }

            current.AddRange(line);
            current.Add((byte)'\r');
        }

        Flush(current, messages);
        return messages;
    }

    private static bool IsEnvelope(ReadOnlySpan<byte> line) =>
        line.Length >= 3 && (line.StartsWith("FHS"u8) || line.StartsWith("BHS"u8) || line.StartsWith("BTS"u8) || line.StartsWith("FTS"u8))
        && (line.Length == 3 || !char.IsAsciiLetterOrDigit((char)line[3]));

    private static void Flush(List<byte> current, List<byte[]> messages)
    {
        if (current.Count > 0)
        {
            messages.Add([.. current]);
            current.Clear();
        }
    }
}
