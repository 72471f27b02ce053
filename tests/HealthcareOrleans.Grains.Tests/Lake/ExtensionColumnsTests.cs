using HealthcareOrleans.Medallion.SilverLake;

namespace HealthcareOrleans.Grains.Tests.Lake;

public sealed class ExtensionColumnsTests
{
    [Theory]
    [InlineData("triage_note", "x_triage_note")]
    [InlineData("Triage Note", "x_triage_note")]
    [InlineData("a.b;c=d", "x_a_b_c_d")]
    [InlineData("event_id", "x_event_id")]
    public void Unknown_fields_get_a_prefixed_name_Delta_accepts_without_column_mapping(string field, string column) =>
        Assert.Equal(column, ExtensionColumns.NameFor(field));
}
