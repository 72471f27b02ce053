using HealthcareOrleans.PatientFlow.Silver;

namespace HealthcareOrleans.Grains.Tests.Silver;

public sealed class PatientAttributeRulesTests
{
    [Theory]
    [InlineData("M", "M")]
    [InlineData("male", "M")]
    [InlineData(" Man ", "M")]
    [InlineData("f", "F")]
    [InlineData("FEMALE", "F")]
    [InlineData("Woman", "F")]
    [InlineData("x", "O")]
    [InlineData("Non-Binary", "O")]
    [InlineData("other", "O")]
    [InlineData("unknown", "U")]
    [InlineData("?", "U")]
    [InlineData(null, null)]
    [InlineData("  ", null)]
    public void Gender_is_normalised_to_the_HL7_administrative_codes(string? raw, string? expected)
    {
        Assert.Equal(expected, PatientAttributeRules.NormaliseGender(raw));
    }

    [Theory]
    [InlineData(0, "0-17")]
    [InlineData(17, "0-17")]
    [InlineData(18, "18-34")]
    [InlineData(34, "18-34")]
    [InlineData(35, "35-49")]
    [InlineData(49, "35-49")]
    [InlineData(50, "50-64")]
    [InlineData(64, "50-64")]
    [InlineData(65, "65-79")]
    [InlineData(79, "65-79")]
    [InlineData(80, "80+")]
    [InlineData(130, "80+")]
    public void Ages_fall_into_bands_at_their_edges(int age, string band)
    {
        Assert.Equal(band, PatientAttributeRules.AgeBandOf(age));
    }

    [Theory]
    [InlineData("2000-03-05", "2025-03-04T23:59:59Z", 24)]
    [InlineData("2000-03-05", "2025-03-05T00:00:00Z", 25)]
    [InlineData("2000-03-05", "2025-12-31T12:00:00Z", 25)]
    [InlineData("2025-03-04", "2025-03-04T08:00:00Z", 0)]
    public void Age_at_an_event_counts_completed_years(string born, string at, int age)
    {
        Assert.Equal(age, PatientAttributeRules.AgeAt(DateOnly.Parse(born, System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("SW1A 1AA", "SW1A")]
    [InlineData("sw1a 1aa", "SW1A")]
    [InlineData("  EC1A   1BB ", "EC1A")]
    [InlineData("M1 1AE", "M1")]
    [InlineData("SW1A1AA", "SW1A")]
    [InlineData("m11ae", "M1")]
    [InlineData("B338TH", "B33")]
    [InlineData("CR26XH", "CR2")]
    [InlineData("90210", "902")]
    [InlineData("02139", "021")]
    [InlineData("123", "123")]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Postal_codes_are_generalised_to_their_region(string? code, string? region)
    {
        Assert.Equal(region, PatientAttributeRules.PostalRegionOf(code));
    }

    [Theory]
    [InlineData("private insurance", "Private Insurance")]
    [InlineData("  SELF PAY ", "Self Pay")]
    [InlineData("medicare", "Medicare")]
    [InlineData(" ", null)]
    [InlineData(null, null)]
    public void Payers_are_normalised_to_one_spelling(string? raw, string? expected)
    {
        Assert.Equal(expected, PatientAttributeRules.NormalisePayer(raw));
    }
}
