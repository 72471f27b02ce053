using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Hl7;
using HealthcareOrleans.Contracts.Tests.Support;

namespace HealthcareOrleans.Contracts.Tests.Hl7;

/// <summary>
/// Real sample messages checked field by field against their text, read by hand with the HL7 v2 standard's field
/// positions (the expected values below are copied from the message, not from the decoder's output).
/// </summary>
public sealed class Hl7FieldMappingTests
{
    private static readonly DateTimeOffset AppendedAt = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static PatientFlowEvent Decode(string relativePath)
    {
        var bytes = File.ReadAllBytes(Path.Combine(SharedData.Hl7V2, relativePath));
        var result = new PatientFlowDecoder().Decode(Assert.Single(Er7Batch.Split(bytes, out _)), AppendedAt);
        Assert.True(result.IsAccepted, $"{result.RejectionReason}: {result.Detail}");
        return Assert.Single(result.Events);
    }

    [Fact]
    public void A06_version_2_8_with_LF_terminators_maps_every_field()
    {
        // MSH|..|202101151620+0215|SECURITY|ADT^A06^ADT_A06|MSG00006|P|2.8 ; EVN-6 20210115160010+0215
        // PID-3 PATID1234^5^M11^ADT1^GOOD HEALTH HOSPITAL~123456789^^^^^USSSA^ (no MR type: the first identifier)
        // PID-7 19610615, PID-8 M, PID-11 115 MAINSTREET^^GOODTOWN^KY^42010^USA^L
        // PV1-2 I, PV1-3 SPROOM^ROOM2&..^BED-1^FACILITY-1, PV1-6 WAITINGROOM^.., PV1-19 5001^^^AccMgr^VN
        var e = Decode("microsoft-fhir-converter/ADT-A06-01.hl7");

        Assert.Equal("MSG00006", e.EventId);
        Assert.Equal(PatientFlowEventType.Admit, e.EventType);
        Assert.Equal(new DateTimeOffset(2021, 1, 15, 16, 0, 10, new TimeSpan(2, 15, 0)), e.OccurredAt);
        Assert.Equal(new TimeSpan(2, 15, 0), e.OccurredAt.Offset);
        Assert.Equal("ADT1:PATID1234", e.PatientId);
        Assert.Equal("FACILITY-1", e.HospitalId);
        Assert.Equal("SPROOM", e.WardId);
        Assert.Equal("BED-1", e.BedId);
        Assert.Equal("WAITINGROOM", e.FromWardId);
        Assert.Equal("5001", e.EncounterId);
        Assert.Equal(new PatientDemographics("M", new DateOnly(1961, 6, 15), null, "42010", null), e.Patient);
        Assert.Equal("\"I\"", e.Extensions!["patient_class"]);
        Assert.Equal(SourceFormats.Hl7V2, e.SourceFormat);
    }

    [Fact]
    public void A08_version_2_6_with_CR_terminators_and_no_EVN_takes_MSH_7_read_as_UTC()
    {
        // MSH|^~\&|SendTest1|Sendfac1|Receiveapp1|Receivefac1|200603081747|security|ADT^A08^ADT_A08|1|P^I|2.6||||||ASCII
        // PID-3 555444222111^^^MPI&GenHosp&L^MR ; PID-7 19600614 ; PID-8 M ; PID-11 99 Oakland #106^^qwerty^OH^44889
        // PV1-2 I ; PV1-3 6N^1234^A^GENHOS ; PV1-19 1400
        var e = Decode("linuxforhealth/ADT_A08_ADT_A08__21e60ddd13.hl7");

        Assert.Equal("1", e.EventId);
        Assert.Equal(PatientFlowEventType.Update, e.EventType);
        Assert.Equal(new DateTimeOffset(2006, 3, 8, 17, 47, 0, TimeSpan.Zero), e.OccurredAt);
        Assert.Equal("MPI:555444222111", e.PatientId);
        Assert.Equal(("GENHOS", "6N", "A", "1400"), (e.HospitalId, e.WardId, e.BedId, e.EncounterId));
        Assert.Null(e.FromWardId);
        Assert.Equal(new PatientDemographics("M", new DateOnly(1960, 6, 14), null, "44889", null), e.Patient);
    }

    [Fact]
    public void A04_version_2_3_with_a_byte_order_mark_and_no_location_is_an_arrival_at_the_sending_facility()
    {
        // MSH|^~\&|REDOX|RDX|||20190504181205+0700||ADT^A04|1270326314|T|2.3 (no EVN segment)
        // PID-3 MRN12345^5^M11^^MR^Special Hospital (no assigning authority) ; PID-7 19780101 ; PID-8 F
        // PV1-2 E, PV1-3 empty: the facility comes from MSH-4 (RDX)
        var e = Decode("microsoft-fhir-converter/ADT04-251.hl7");

        Assert.Equal("1270326314", e.EventId);
        Assert.Equal(PatientFlowEventType.Arrival, e.EventType);
        Assert.Equal(new DateTimeOffset(2019, 5, 4, 18, 12, 5, TimeSpan.FromHours(7)), e.OccurredAt);
        Assert.Equal("MRN12345", e.PatientId);
        Assert.Equal("RDX", e.HospitalId);
        Assert.Null(e.WardId);
        Assert.Null(e.EncounterId);
        Assert.Equal(new PatientDemographics("F", new DateOnly(1978, 1, 1), null, null, null), e.Patient);
        Assert.Equal("\"E\"", e.Extensions!["patient_class"]);
    }

    [Fact]
    public void A02_version_2_8_prefers_EVN_6_over_EVN_2_and_unescapes_values()
    {
        // EVN|A01|20290801070624+0115|...|20210817151943.4+0200 : EVN-6 (event occurred) wins over EVN-2 (recorded)
        // PID-3 PATID1234^5^M11^test1&2.16.1&HCD^MR^GOOD HEALTH HOSPITAL~... : MR type, authority namespace test1
        // PV1-3 HUH AE OMU&9.8&ISO^OMU B^Bed 03^HOMERTON UNIVER ; PV1-6 4 East, room 136, bed B 4E^136^B^...
        var e = Decode("microsoft-fhir-converter/ADT-A02-01.hl7");

        Assert.Equal(PatientFlowEventType.Transfer, e.EventType);
        Assert.Equal(new DateTimeOffset(2021, 8, 17, 15, 19, 43, 400, TimeSpan.FromHours(2)), e.OccurredAt);
        Assert.Equal("test1:PATID1234", e.PatientId);
        Assert.Equal(("HOMERTON UNIVER", "HUH AE OMU", "Bed 03"), (e.HospitalId, e.WardId, e.BedId));
        Assert.Equal("4 East, room 136, bed B 4E", e.FromWardId);
        Assert.Equal(new DateOnly(1988, 8, 18), e.Patient!.BirthDate);
    }

    [Fact]
    public void Escape_sequences_stand_for_the_declared_separators_and_hex_bytes()
    {
        var d = new Er7Delimiters('#', '$', '*', '!', '@');
        Assert.Equal("a#b$c@d*e!f", Er7Escaping.Unescape("a!F!b!S!c!T!d!R!e!E!f", d));
        Assert.Equal("café", Er7Escaping.Unescape("caf!XC3A9!", d));
        Assert.Equal("bold", Er7Escaping.Unescape("!H!bold!N!", d));
        Assert.Equal("line1\nline2", Er7Escaping.Unescape("line1!.br!line2", d));
        Assert.Equal("keep !Zlocal! as written", Er7Escaping.Unescape("keep !Zlocal! as written", d));
    }

    [Fact]
    public void A_message_with_its_own_separators_maps_like_the_standard_ones()
    {
        var text = "MSH#$*!@#APP#FAC###20250304101500+0100##ADT$A01#M-1#P#2.5.1\r"
            + "PID#1##X!S!1$$$AUTH$MR##DOE$JANE##19580630#F\r"
            + "PV1#1#I#RGH-AMU$$AMU-07$RGH###RGH-ED#############V-9\r";

        var result = new PatientFlowDecoder().Decode(System.Text.Encoding.UTF8.GetBytes(text), AppendedAt);

        Assert.True(result.IsAccepted, result.Detail);
        var e = result.Event!;
        Assert.Equal(("M-1", "AUTH:X$1", "RGH", "RGH-AMU", "AMU-07", "RGH-ED", "V-9"), (e.EventId, e.PatientId, e.HospitalId, e.WardId, e.BedId, e.FromWardId, e.EncounterId));
        Assert.Equal(new DateTimeOffset(2025, 3, 4, 10, 15, 0, TimeSpan.FromHours(1)), e.OccurredAt);
    }

    [Theory]
    [InlineData("A01", PatientFlowEventType.Admit)]
    [InlineData("A02", PatientFlowEventType.Transfer)]
    [InlineData("A03", PatientFlowEventType.Discharge)]
    [InlineData("A04", PatientFlowEventType.Arrival)]
    [InlineData("A06", PatientFlowEventType.Admit)]
    [InlineData("A07", PatientFlowEventType.Discharge)]
    [InlineData("A08", PatientFlowEventType.Update)]
    [InlineData("A11", PatientFlowEventType.CancelAdmit)]
    [InlineData("A12", PatientFlowEventType.CancelTransfer)]
    [InlineData("A13", PatientFlowEventType.CancelDischarge)]
    public void Each_mapped_trigger_becomes_its_event_type(string trigger, PatientFlowEventType expected)
    {
        var result = new PatientFlowDecoder().Decode(Hl7Messages.Adt(trigger), AppendedAt);

        Assert.True(result.IsAccepted, result.Detail);
        Assert.Equal(expected, result.Event!.EventType);
    }

    [Fact]
    public void A_time_without_offset_takes_the_offset_of_MSH_7()
    {
        var text = Hl7Messages.AdtText("A01").Replace("EVN|A01|20250304101500+0100", "EVN|A01|20250304091500", StringComparison.Ordinal);

        var result = new PatientFlowDecoder().Decode(System.Text.Encoding.UTF8.GetBytes(text), AppendedAt);

        Assert.Equal(new DateTimeOffset(2025, 3, 4, 9, 15, 0, TimeSpan.FromHours(1)), result.Event!.OccurredAt);
    }
}
