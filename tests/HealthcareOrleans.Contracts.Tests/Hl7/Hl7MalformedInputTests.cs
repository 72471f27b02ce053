using System.Text;
using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Hl7;
using HealthcareOrleans.Contracts.Tests.Support;

namespace HealthcareOrleans.Contracts.Tests.Hl7;

/// <summary>Broken HL7 input is refused with a reason and a detail that says where, never an exception.</summary>
public sealed class Hl7MalformedInputTests
{
    private static readonly DateTimeOffset AppendedAt = new(2025, 3, 4, 12, 0, 0, TimeSpan.Zero);

    private static DecodeResult Decode(string text, DecodeLimits? limits = null) => Decode(Encoding.UTF8.GetBytes(text), limits);

    private static DecodeResult Decode(byte[] payload, DecodeLimits? limits = null) =>
        new PatientFlowDecoder(limits ?? DecodeLimits.Default).Decode(payload, AppendedAt);

    private static string Valid => Hl7Messages.AdtText("A01");

    [Fact]
    public void The_valid_base_message_is_accepted()
    {
        Assert.True(Decode(Valid).IsAccepted);
    }

    [Fact]
    public void Without_MSH_the_parser_refuses_and_the_topic_treats_it_as_not_HL7()
    {
        var withoutHeader = Valid[Valid.IndexOf("EVN", StringComparison.Ordinal)..];

        var parsed = Er7Parser.Parse(Encoding.UTF8.GetBytes(withoutHeader), DecodeLimits.Default);

        Assert.Equal(Hl7RejectionReasons.MalformedHl7, parsed.Reason);
        Assert.Contains("MSH", parsed.Detail, StringComparison.Ordinal);
        Assert.Equal(RejectionReasons.MalformedJson, Payloads.RejectionOf(Decode(withoutHeader)));
    }

    [Theory]
    [InlineData("MSH|^~\\|PAS", "4 encoding characters")]
    [InlineData("MSH|^~\\&$%|PAS", "4 encoding characters")]
    [InlineData("MSH|^^\\&|PAS", "declared twice")]
    [InlineData("MSH|A~\\&|PAS", "letter, digit")]
    [InlineData("MSH|^~ &|PAS", "letter, digit, blank")]
    [InlineData("MSH1^~\\&1PAS", "letter, digit")]
    [InlineData("MSH|^~", "ends before MSH-1 and MSH-2")]
    public void Bad_encoding_characters_are_named(string header, string expected)
    {
        var result = Decode(header + Valid[Valid.IndexOf('\r', StringComparison.Ordinal)..]);

        Assert.Equal(Hl7RejectionReasons.MalformedHl7, Payloads.RejectionOf(result));
        Assert.Contains(expected, result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_message_cut_inside_a_segment_name_is_refused_with_the_segment_number()
    {
        var cut = Valid[..(Valid.IndexOf("PV1", StringComparison.Ordinal) + 2)];

        var result = Decode(cut);

        Assert.Equal(Hl7RejectionReasons.MalformedHl7, Payloads.RejectionOf(result));
        Assert.Contains("segment 4", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_cut_before_its_version_misses_MSH_12()
    {
        Assert.Equal("missing_field:MSH-12", Payloads.RejectionOf(Decode("MSH|^~\\&|PAS|RGH|ENGINE|RGH|20250304101600+0100||ADT^A01|C-1")));
    }

    [Fact]
    public void A_message_cut_after_its_header_has_no_PID()
    {
        Assert.Equal("missing_field:PID", Payloads.RejectionOf(Decode(Valid[..Valid.IndexOf("PID", StringComparison.Ordinal)])));
    }

    [Fact]
    public void Segments_using_another_field_separator_than_MSH_1_are_refused()
    {
        var result = Decode(Valid.Replace("PID|1||P-1001^^^RGH^MR", "PID#1##P-1001^^^RGH^MR", StringComparison.Ordinal));

        Assert.Equal(Hl7RejectionReasons.MalformedHl7, Payloads.RejectionOf(result));
        Assert.Contains("field separator '|'", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Segments_run_together_without_a_terminator_read_as_one_MSH_with_no_PID()
    {
        Assert.Equal("missing_field:PID", Payloads.RejectionOf(Decode(Valid.Replace("\r", "|", StringComparison.Ordinal))));
    }

    [Fact]
    public void A_field_of_one_megabyte_is_refused_as_oversize_or_by_the_field_limit()
    {
        var huge = Valid + "OBX|1|TX|NOTE||" + new string('x', 1024 * 1024) + "\r";

        Assert.Equal(RejectionReasons.Oversize, Payloads.RejectionOf(Decode(huge)));
        var roomy = DecodeLimits.Default with { MaxPayloadBytes = 4 * 1024 * 1024 };
        var result = Decode(huge, roomy);
        Assert.Equal("field_too_long:OBX-5", Payloads.RejectionOf(result));
        Assert.Contains("1048576 characters", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mapped_value_longer_than_the_contract_allows_is_refused_by_field()
    {
        var result = Decode(Valid.Replace("P-1001", new string('9', 300), StringComparison.Ordinal));

        Assert.Equal("field_too_long:PID-3", Payloads.RejectionOf(result));
    }

    [Fact]
    public void More_segments_than_the_limit_are_refused()
    {
        var limits = DecodeLimits.Default with { MaxHl7Segments = 10 };
        var result = Decode(Valid + string.Concat(Enumerable.Repeat("NTE|1||note\r", 10)), limits);

        Assert.Equal(Hl7RejectionReasons.TooManySegments, Payloads.RejectionOf(result));
    }

    [Theory]
    [InlineData("PID|1||P-1001\\F^^^RGH^MR", "not closed")]
    [InlineData("PID|1||P-1001\\XA\\^^^RGH^MR", "hex digits")]
    [InlineData("PID|1||P-1001\\\\^^^RGH^MR", "empty")]
    public void Broken_escape_sequences_are_refused_naming_the_field(string pid, string expected)
    {
        var result = Decode(Valid.Replace("PID|1||P-1001^^^RGH^MR", pid, StringComparison.Ordinal));

        Assert.Equal(Hl7RejectionReasons.MalformedHl7, Payloads.RejectionOf(result));
        Assert.StartsWith("PID-3:", result.Detail, StringComparison.Ordinal);
        Assert.Contains(expected, result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2.2")]
    [InlineData("2.9")]
    [InlineData("3.0")]
    [InlineData("2.5.x")]
    public void Versions_outside_2_3_to_2_8_are_refused(string version)
    {
        var result = Decode(Valid.Replace("|P|2.5.1", $"|P|{version}", StringComparison.Ordinal));

        Assert.Equal(Hl7RejectionReasons.UnsupportedVersion, Payloads.RejectionOf(result));
    }

    [Theory]
    [InlineData("2.3")]
    [InlineData("2.3.1")]
    [InlineData("2.4")]
    [InlineData("2.5")]
    [InlineData("2.6")]
    [InlineData("2.7.1")]
    [InlineData("2.8")]
    public void Versions_2_3_to_2_8_are_read(string version)
    {
        Assert.True(Decode(Valid.Replace("|P|2.5.1", $"|P|{version}", StringComparison.Ordinal)).IsAccepted);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    [InlineData("\r\r")]
    public void Any_segment_terminator_reads_alike(string terminator)
    {
        var result = Decode(Valid.Replace("\r", terminator, StringComparison.Ordinal));

        Assert.True(result.IsAccepted, result.Detail);
        var expected = Decode(Valid).Event!;
        Assert.Equal(expected with { Extensions = null }, result.Event! with { Extensions = null });
        Assert.Equal(expected.Extensions, result.Event!.Extensions);
    }

    [Fact]
    public void Binary_junk_after_the_header_is_refused()
    {
        var random = new Random(14);
        for (var i = 0; i < 200; i++)
        {
            var junk = new byte[random.Next(1, 4096)];
            random.NextBytes(junk);
            var result = Decode([.. "MSH|^~\\&|"u8, .. junk]);

            Assert.False(result.IsAccepted);
            Assert.False(string.IsNullOrWhiteSpace(result.Detail));
        }

        Assert.Equal(Hl7RejectionReasons.MalformedHl7, Payloads.RejectionOf(Decode([.. "MSH|^~\\&|"u8, 0xC3, 0x28])));
        Assert.Contains("U+0000", Decode(Valid.Replace("P-1001", "P-\01001", StringComparison.Ordinal)).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Mutated_real_messages_never_throw_and_every_refusal_has_a_reason_and_detail()
    {
        var random = new Random(41);
        var samples = Directory.EnumerateFiles(SharedData.Hl7V2, "*.hl7", SearchOption.AllDirectories)
            .Select(f => Er7Batch.Split(File.ReadAllBytes(f), out _)[0]).ToList();
        for (var i = 0; i < 3_000; i++)
        {
            var bytes = (byte[])samples[random.Next(samples.Count)].Clone();
            var mutated = (i % 3) switch
            {
                0 => bytes[..random.Next(3, bytes.Length)],
                1 => Flip(bytes, random),
                _ => Delimit(bytes, random),
            };

            var result = Decode(mutated);

            Assert.True(result.IsAccepted || (!string.IsNullOrWhiteSpace(result.RejectionReason) && !string.IsNullOrWhiteSpace(result.Detail)));
        }
    }

    [Theory]
    [InlineData("ORU^R01", "unsupported_message_type:ORU")]
    [InlineData("ADT^A05", "unsupported_trigger:A05")]
    [InlineData("ADT^A28", "unsupported_trigger:A28")]
    [InlineData("ADT^ZZZ9999999", "unsupported_trigger:other")]
    public void Other_messages_and_triggers_are_refused_by_name(string msh9, string expected)
    {
        Assert.Equal(expected, Payloads.RejectionOf(Decode(Valid.Replace("ADT^A01^ADT_A01", msh9, StringComparison.Ordinal))));
    }

    [Theory]
    [InlineData("EVN|A01|20250304101500+0100", "EVN|A01|2025-03-04", "bad_timestamp:EVN-2")]
    [InlineData("EVN|A01|20250304101500+0100", "EVN|A01|20250304", "bad_timestamp:EVN-2")]
    [InlineData("EVN|A01|20250304101500+0100", "EVN|A01|20250231101500", "bad_timestamp:EVN-2")]
    [InlineData("EVN|A01|20250304101500+0100", "EVN|A01|20250304101500+2500", "bad_timestamp:EVN-2")]
    [InlineData("EVN|A01|20250304101500+0100", "EVN|A01|20250304131500+0100", "future_timestamp:EVN-2")]
    [InlineData("EVN|A01|20250304101500+0100", "EVN|A01|20250304101500||||20250305101500", "future_timestamp:EVN-6")]
    [InlineData("EVN|A01|20250304101500+0100", "EVN|A01|99991231235959.9999-1400", "bad_timestamp:EVN-2")]
    [InlineData("EVN|A01|20250304101500+0100", "EVN|A01|000101010000+1400", "bad_timestamp:EVN-2")]
    [InlineData("EVN|A01|20250304101500+0100", "EVN|A01|20250304101500.12345", "bad_timestamp:EVN-2")]
    [InlineData("19580630", "20300101", "bad_timestamp:PID-7")]
    [InlineData("19580630", "00010101+1400", "bad_timestamp:PID-7")]
    [InlineData("PV1|1|I|RGH-AMU^^AMU-07^RGH", "PV1|1|I|", "missing_field:PV1-3")]
    [InlineData("RGH-AMU^^AMU-07^RGH", "RGH-AMU^^AMU-07", "missing_field:PV1-3.4")]
    [InlineData("P-1001^^^RGH^MR", "", "missing_field:PID-3")]
    [InlineData("|CTRL-A01|", "||", "missing_field:MSH-10")]
    public void Content_problems_name_the_HL7_field(string original, string replacement, string expected)
    {
        var text = Valid.Replace(original, replacement, StringComparison.Ordinal)
            .Replace("|RGH|ENGINE|", replacement == "RGH-AMU^^AMU-07" ? "||ENGINE|" : "|RGH|ENGINE|", StringComparison.Ordinal);

        Assert.Equal(expected, Payloads.RejectionOf(Decode(text)));
    }

    [Fact]
    public void A_message_declared_ISO_8859_1_is_read_in_that_character_set()
    {
        var text = Valid.Replace("|P|2.5.1", "|P|2.5.1||||||8859/1", StringComparison.Ordinal).Replace("RGH-AMU^^AMU-07", "CAFÉ^^AMU-07", StringComparison.Ordinal);

        var result = Decode(Encoding.Latin1.GetBytes(text));

        Assert.True(result.IsAccepted, result.Detail);
        Assert.Equal("CAFÉ", result.Event!.WardId);
        Assert.Equal(Hl7RejectionReasons.MalformedHl7, Payloads.RejectionOf(Decode(Encoding.Latin1.GetBytes(text.Replace("8859/1", "", StringComparison.Ordinal)))));
    }

    private static byte[] Flip(byte[] bytes, Random random)
    {
        for (var n = 0; n < 4; n++)
        {
            bytes[random.Next(3, bytes.Length)] = (byte)random.Next(256);
        }

        return bytes;
    }

    private static byte[] Delimit(byte[] bytes, Random random)
    {
        ReadOnlySpan<byte> delimiters = "|^~\\&\r\n"u8;
        for (var n = 0; n < 6; n++)
        {
            bytes[random.Next(3, bytes.Length)] = delimiters[random.Next(delimiters.Length)];
        }

        return bytes;
    }
}
