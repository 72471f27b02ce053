using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Tests.Support;

namespace HealthcareOrleans.Contracts.Tests.Events;

/// <summary>Ids with control or bidirectional-override characters cannot be looked up or printed safely: rejected.</summary>
public sealed class IdentifierCharacterTests
{
    public static TheoryData<string, string> UnprintableIds => new()
    {
        { "patient_id", "A\u0000B" },
        { "patient_id", "P-1\u202E0001" },   // right-to-left override
        { "patient_id", "P-1\u2066x\u2069" }, // left-to-right isolate … pop
        { "patient_id", "P-1\u001B[31m" },    // terminal escape sequence
        { "patient_id", "P-1\n2" },
        { "patient_id", "P-1\u200F" },        // right-to-left mark
        { "patient_id", "P-1\u0085" },        // C1 next line
        { "event_id", "evt\u0007" },
        { "encounter_id", "E\u202D77" },
        { "ward_id", "RGH-AMU\t" },
        { "bed_id", "AMU\u0000-07" },
        { "hospital_id", "R\u202EGH" },
    };

    [Theory]
    [MemberData(nameof(UnprintableIds))]
    public void An_id_with_a_control_or_bidi_character_is_bad_value_of_its_field(string field, string id)
    {
        Assert.Equal($"bad_value:{field}", Payloads.RejectionOf(Payloads.Adt().With(field, id).Decode()));
    }

    [Fact]
    public void A_flat_admission_with_a_control_character_in_its_patient_id_is_bad_value()
    {
        Assert.Equal("bad_value:patient_id", Payloads.RejectionOf(Payloads.Flat().With("patient_id", "P\u00002002").Decode()));
    }

    [Theory]
    [InlineData("P-1001")]
    [InlineData("Müller-ÄÖÜ")]
    [InlineData("患者-42")]
    [InlineData("مريض-7")] // right-to-left letters are text, not controls
    public void Ordinary_ids_in_any_script_are_accepted(string id)
    {
        Assert.True(Payloads.Adt().With("patient_id", id).Decode().IsAccepted);
    }

    [Fact]
    public void Display_escapes_every_forbidden_character_visibly_and_keeps_the_rest()
    {
        Assert.Equal("A\\u{0000}B\\u{202E}x", IdentifierText.ForDisplay("A\u0000B\u202Ex"));
        Assert.Equal("Müller", IdentifierText.ForDisplay("Müller"));
    }
}
