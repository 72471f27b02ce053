using System.Globalization;

namespace HealthcareOrleans.PatientFlow.Silver;

/// <summary>
/// How raw demographics become the tracked attributes. Generalising here (age band instead of birth date,
/// postal region instead of postal code) keeps identifying detail out of everything downstream of Silver.
/// </summary>
public static class PatientAttributeRules
{
    private static readonly (int From, string Band)[] AgeBands =
        [(80, "80+"), (65, "65-79"), (50, "50-64"), (35, "35-49"), (18, "18-34"), (0, "0-17")];

    public static string AgeBandOf(int age)
    {
        foreach (var (from, band) in AgeBands)
        {
            if (age >= from)
            {
                return band;
            }
        }

        return "0-17";
    }

    public static int AgeAt(DateOnly birthDate, DateTimeOffset at)
    {
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        var age = day.Year - birthDate.Year;
        return birthDate.AddYears(age) > day ? age - 1 : age;
    }

    /// <summary>Administrative gender as HL7 codes it (M, F, O, U), whatever spelling the feed used.</summary>
    public static string? NormaliseGender(string? gender)
    {
        if (string.IsNullOrWhiteSpace(gender))
        {
            return null;
        }

        return gender.Trim().ToUpperInvariant() switch
        {
            "M" or "MALE" or "MAN" => "M",
            "F" or "FEMALE" or "WOMAN" => "F",
            "O" or "OTHER" or "X" or "NON-BINARY" or "NONBINARY" => "O",
            _ => "U",
        };
    }

    /// <summary>
    /// The coarse part of a postal code: the UK outward code ("SW1A 1AA" → "SW1A") or the first three digits of a
    /// numeric code ("90210" → "902"), as de-identification rules generalise them.
    /// </summary>
    public static string? PostalRegionOf(string? postalCode)
    {
        if (string.IsNullOrWhiteSpace(postalCode))
        {
            return null;
        }

        var code = postalCode.Trim().ToUpperInvariant();
        var space = code.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0)
        {
            return code[..space];
        }

        if (code.All(char.IsAsciiDigit))
        {
            return code.Length > 3 ? code[..3] : code;
        }

        // An unspaced UK code: the inward code is always the last three characters.
        return code.Length > 4 ? code[..^3] : code;
    }

    public static string? NormalisePayer(string? payer) =>
        string.IsNullOrWhiteSpace(payer) ? null : CultureInfo.InvariantCulture.TextInfo.ToTitleCase(payer.Trim().ToLowerInvariant());
}
