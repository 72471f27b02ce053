using System.Globalization;
using System.Text;

namespace HealthcareOrleans.Contracts.Events;

/// <summary>
/// What an identifier (patient, event, encounter, ward, bed, hospital id) may contain. Control characters (NUL, line
/// breaks, escape sequences) and the Unicode bidirectional controls (the RTL/LTR overrides, embeddings, isolates and
/// marks) make an id that looks like another, breaks terminals and logs, and cannot be typed back to look it up.
/// </summary>
public static class IdentifierText
{
    /// <summary>True when <paramref name="value"/> has a character no identifier may contain.</summary>
    public static bool HasForbiddenCharacter(string value)
    {
        foreach (var rune in value.EnumerateRunes())
        {
            if (IsForbidden(rune))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <paramref name="value"/> fit to print on a terminal: every forbidden character as a visible <c>\u{XXXX}</c>
    /// escape, so that an id from the wire can never move the cursor, recolour the screen or reverse the text after it.
    /// </summary>
    public static string ForDisplay(string value)
    {
        if (!HasForbiddenCharacter(value))
        {
            return value;
        }

        var text = new StringBuilder(value.Length + 16);
        foreach (var rune in value.EnumerateRunes())
        {
            if (IsForbidden(rune))
            {
                text.Append(CultureInfo.InvariantCulture, $"\\u{{{rune.Value:X4}}}");
            }
            else
            {
                text.Append(rune.ToString());
            }
        }

        return text.ToString();
    }

    private static bool IsForbidden(Rune rune) =>
        Rune.IsControl(rune)
        || rune.Value is 0x061C or 0x200E or 0x200F // Arabic letter mark, LTR and RTL marks
        || rune.Value is >= 0x202A and <= 0x202E // embeddings and overrides
        || rune.Value is >= 0x2066 and <= 0x2069 // isolates
        || rune.Value is 0xFEFF or 0xFFFD; // byte-order mark; the replacement character of an undecodable byte
}
