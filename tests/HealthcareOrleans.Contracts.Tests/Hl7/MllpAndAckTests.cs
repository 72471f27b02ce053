using System.Text;
using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Hl7;
using HealthcareOrleans.Contracts.Tests.Support;

namespace HealthcareOrleans.Contracts.Tests.Hl7;

/// <summary>MLLP framing (HL7 v2 transport spec: 0x0B message 0x1C 0x0D) and the ACKs built for the sender.</summary>
public sealed class MllpAndAckTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 4, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Hands out the bytes in pieces of a given size, as TCP may.</summary>
    private sealed class TrickleStream(byte[] data, int piece) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(piece, buffer.Length)], cancellationToken);
    }

    private static byte[] Frame(string text) => [0x0B, .. Encoding.UTF8.GetBytes(text), 0x1C, 0x0D];

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100_000)]
    public async Task Frames_split_anywhere_read_back_whole_and_line_breaks_between_frames_are_tolerated(int piece)
    {
        byte[] stream = [.. Frame("MSH|first"), (byte)'\r', (byte)'\n', .. Frame("MSH|second"), .. Frame("")];
        var reader = new MllpFrameReader(new TrickleStream(stream, piece), 1024);

        Assert.Equal("MSH|first", Encoding.UTF8.GetString((await reader.ReadAsync(default))!.Payload));
        Assert.Equal("MSH|second", Encoding.UTF8.GetString((await reader.ReadAsync(default))!.Payload));
        Assert.Empty((await reader.ReadAsync(default))!.Payload);
        Assert.Null(await reader.ReadAsync(default));
    }

    [Theory]
    [InlineData(new byte[] { (byte)'M', (byte)'S', (byte)'H' }, "outside a frame")]
    [InlineData(new byte[] { 0x0B, (byte)'M', (byte)'S' }, "inside a frame")]
    [InlineData(new byte[] { 0x0B, (byte)'M', 0x1C }, "between 0x1C")]
    [InlineData(new byte[] { 0x0B, (byte)'M', 0x1C, (byte)'x' }, "not 0x0D")]
    public async Task Broken_framing_is_a_protocol_error(byte[] stream, string expected)
    {
        var reader = new MllpFrameReader(new MemoryStream(stream), 1024);

        var error = await Assert.ThrowsAsync<MllpProtocolException>(async () => await reader.ReadAsync(default));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversize_frame_is_read_to_its_end_kept_in_part_and_the_next_frame_still_reads()
    {
        var big = "MSH|^~\\&|A|B" + new string('x', 100_000);
        var reader = new MllpFrameReader(new TrickleStream([.. Frame(big), .. Frame("MSH|next")], 1000), 10_000);

        var frame = (await reader.ReadAsync(default))!;
        Assert.True(frame.Oversize);
        Assert.Equal(big.Length, frame.Length);
        Assert.StartsWith("MSH|^~\\&|A|B", Encoding.UTF8.GetString(frame.Payload), StringComparison.Ordinal);
        Assert.True(frame.Payload.Length <= 10_000);
        Assert.Equal("MSH|next", Encoding.UTF8.GetString((await reader.ReadAsync(default))!.Payload));
    }

    [Fact]
    public void An_accept_answers_in_the_senders_terms_with_sender_and_receiver_swapped()
    {
        var ack = Hl7Acknowledgement.Build(Hl7Messages.Adt("A01"), AckCodes.Accept, "ACK-1", Now);

        var parsed = Er7Parser.Parse(ack, DecodeLimits.Default).Message!;
        var msh = parsed.Header;
        Assert.Equal(("ENGINE", "RGH", "PAS", "RGH"), (msh.Value(3), msh.Value(4), msh.Value(5), msh.Value(6)));
        Assert.Equal(("ACK", "A01", "ACK"), (msh.Value(9, 1), msh.Value(9, 2), msh.Value(9, 3)));
        Assert.Equal(("ACK-1", "P", "2.5.1"), (msh.Value(10), msh.Value(11), msh.Value(12)));
        var msa = parsed.First("MSA")!;
        Assert.Equal(("AA", "CTRL-A01"), (msa.Value(1), msa.Value(2)));
        Assert.Null(parsed.First("ERR"));
        Assert.Equal(new Hl7Ack("AA", "CTRL-A01", null), MllpClient.Read(ack));
    }

    [Fact]
    public void A_refusal_carries_the_reason_in_ERR_and_MSA_3_escaped_in_the_senders_separators()
    {
        var ack = Hl7Acknowledgement.Build(Hl7Messages.Adt("A01"), AckCodes.Error, "ACK-2", Now, "missing_field:PID-3", "a patient identifier | ^ & is required");

        var parsed = Er7Parser.Parse(ack, DecodeLimits.Default).Message!;
        var err = parsed.First("ERR")!;
        Assert.Equal(("101", "Required field missing", "HL70357"), (err.Value(3, 1), err.Value(3, 2), err.Value(3, 3)));
        Assert.Equal("E", err.Value(4));
        Assert.Equal("missing_field:PID-3: a patient identifier | ^ & is required", err.Value(8));
        Assert.Equal(err.Value(8), parsed.First("MSA")!.Value(3));
        Assert.Equal("AE", MllpClient.Read(ack).Code);
    }

    [Fact]
    public void Version_2_3_refusals_use_the_ERR_1_composite_of_that_version()
    {
        var v23 = Hl7Messages.AdtText("A05").Replace("|P|2.5.1", "|P|2.3", StringComparison.Ordinal);

        var ack = Hl7Acknowledgement.Build(Encoding.UTF8.GetBytes(v23), AckCodes.Reject, "ACK-3", Now, "unsupported_trigger:A05", "not mapped");

        var err = Er7Parser.Parse(ack, DecodeLimits.Default).Message!.First("ERR")!;
        Assert.Equal("201", err.Value(1, 4, 1));
        Assert.Equal("Unsupported event code", err.Value(1, 4, 2));
    }

    [Fact]
    public void A_message_without_a_readable_MSH_is_answered_with_standard_separators_and_no_MSA_2()
    {
        var ack = Hl7Acknowledgement.Build("garbage"u8, AckCodes.Error, "ACK-4", Now, "malformed_hl7", "no MSH");

        var read = MllpClient.Read(ack);
        Assert.Equal(("AE", (string?)null), (read.Code, read.AcknowledgedControlId));
        Assert.StartsWith("MSH|^~\\&|", Encoding.UTF8.GetString(ack), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unsupported_trigger:A40", "AR")]
    [InlineData("unsupported_message_type:ORU", "AR")]
    [InlineData("unsupported_hl7_version", "AR")]
    [InlineData("broker_unavailable", "AR")]
    [InlineData("malformed_hl7", "AE")]
    [InlineData("missing_field:PID-3", "AE")]
    [InlineData("unknown_ward:ward_id", "AE")]
    [InlineData("oversize", "AE")]
    public void Content_errors_are_AE_and_what_the_engine_does_not_take_is_AR(string reason, string code)
    {
        Assert.Equal(code, Hl7Acknowledgement.CodeFor(reason));
    }
}
