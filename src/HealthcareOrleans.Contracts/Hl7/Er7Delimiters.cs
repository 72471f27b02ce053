namespace HealthcareOrleans.Contracts.Hl7;

/// <summary>
/// The separators a message declares in MSH-1 (field) and MSH-2 (component, repetition, escape, sub-component and,
/// from v2.7, truncation). Every message names its own; <c>|^~\&amp;</c> is only the recommendation.
/// </summary>
public sealed record Er7Delimiters(char Field, char Component, char Repetition, char Escape, char SubComponent)
{
    public static Er7Delimiters Standard { get; } = new('|', '^', '~', '\\', '&');

    /// <summary>MSH-2 as written back in a reply (an ACK uses the sender's own separators).</summary>
    public string EncodingCharacters => string.Concat(Component, Repetition, Escape, SubComponent);

    /// <summary>Reads MSH-1 and MSH-2 from the start of an MSH segment, or explains why they are unusable.</summary>
    public static bool TryRead(ReadOnlySpan<char> msh, out Er7Delimiters delimiters, out string? problem)
    {
        delimiters = Standard;
        if (msh.Length < 8)
        {
            problem = "the MSH segment ends before MSH-1 and MSH-2 (field separator and 4 encoding characters)";
            return false;
        }

        var field = msh[3];
        var end = msh[4..].IndexOf(field);
        var encoding = end < 0 ? msh[4..] : msh.Slice(4, end);
        if (encoding.Length is not (4 or 5))
        {
            problem = $"MSH-2 must be 4 encoding characters (5 with the truncation character), found {encoding.Length}";
            return false;
        }

        Span<char> all = [field, encoding[0], encoding[1], encoding[2], encoding[3], encoding.Length == 5 ? encoding[4] : field];
        for (var i = 0; i < all.Length; i++)
        {
            if (char.IsLetterOrDigit(all[i]) || char.IsWhiteSpace(all[i]) || char.IsControl(all[i]))
            {
                problem = $"separator '{Printable(all[i])}' in MSH-1/MSH-2 is a letter, digit, blank or control character";
                return false;
            }

            for (var j = 0; j < i; j++)
            {
                if (all[j] == all[i] && !(i == 5 && encoding.Length == 4))
                {
                    problem = $"separator '{all[i]}' is declared twice in MSH-1/MSH-2";
                    return false;
                }
            }
        }

        delimiters = new Er7Delimiters(field, encoding[0], encoding[1], encoding[2], encoding[3]);
        problem = null;
        return true;
    }

    private static string Printable(char c) => char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString();
}
