using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Grains.Tests.Support;
using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.Medallion.Bronze;
using HealthcareOrleans.Medallion.Lake;
using HealthcareOrleans.Medallion.SilverLake;
using static HealthcareOrleans.Grains.Tests.Support.AdtJson;

namespace HealthcareOrleans.Grains.Tests.SilverLake;

/// <summary>
/// A message too large to keep: Bronze holds its place (offset, size, reason) but not its bytes, Silver quarantines it
/// as <c>oversize</c> just as the grain refused its bytes, and the message after it goes on as usual.
/// </summary>
public sealed class OversizePayloadTests : IDisposable
{
    private readonly BronzeLake _lake = new();

    public void Dispose() => _lake.Dispose();

    [Fact]
    public async Task A_message_over_the_Bronze_limit_keeps_its_offset_size_and_reason_without_its_bytes_and_the_next_one_reaches_Silver()
    {
        var huge = new string('x', 3 * 1024 * 1024);
        var hugeJson = $$"""{"event_id":"big","note":"{{huge}}"}""";
        await _lake.AppendAsync("run-1",
            ("P-BIG", hugeJson, 2),
            ("P-NEXT", Event("next-admit", "ADMIT", 0, "P-NEXT", "E-1", "RGH-AMU"), 2));
        await BronzeLake.DrainAsync(_lake.Flusher());

        var bronze = await _lake.ReadAsync(BronzeTable.Path);
        var offsets = bronze.Column<long?>(BronzeTable.Offset);
        var big = Array.IndexOf(offsets, 0L);
        Assert.Empty(bronze.Column<byte[]?>(BronzeTable.Payload)[big]!);
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(hugeJson), bronze.Column<int?>(BronzeTable.PayloadSize)[big]);
        Assert.Equal(BronzeTable.DroppedOversize, bronze.Column<string?>(BronzeTable.PayloadDropped)[big]);
        var next = Array.IndexOf(offsets, 1L);
        Assert.Null(bronze.Column<string?>(BronzeTable.PayloadDropped)[next]);
        Assert.NotEmpty(bronze.Column<byte[]?>(BronzeTable.Payload)[next]!);

        var quarantine = await _lake.ReadAsync(QuarantineTable.Path);
        Assert.Equal([RejectionReasons.Oversize], Strings(quarantine, QuarantineTable.Reason));
        Assert.Equal([0L], quarantine.Column<long?>("source_offset"));
        Assert.Empty(Assert.Single(quarantine.Column<byte[]?>("payload"))!);
        var events = await _lake.ReadAsync(SilverEventsTable.Path);
        Assert.Equal(["next-admit"], Strings(events, SilverEventsTable.EventId));
    }

    [Fact]
    public void A_record_whose_payload_Bronze_dropped_decodes_as_the_same_oversize_refusal_as_its_bytes()
    {
        var decoder = new PatientFlowDecoder();
        var bytes = new byte[200_000];
        var delivered = new BrokerRecord("patient-flow", 0, 7, BronzeLake.AppendedAt, "P-1", bytes);
        var fromBronze = delivered with { Payload = [], DroppedPayloadBytes = bytes.Length };

        var asDelivered = decoder.Decode(delivered);
        var asRead = decoder.Decode(fromBronze);

        Assert.Equal(RejectionReasons.Oversize, asDelivered.RejectionReason);
        Assert.Equal((asDelivered.RejectionReason, asDelivered.Detail), (asRead.RejectionReason, asRead.Detail));
    }

    [Fact]
    public void The_Bronze_limit_cannot_be_set_below_what_the_decoder_accepts()
    {
        var result = new LakeOptionsValidator().Validate(null, new LakeOptions { Root = "/tmp/lake", BronzeMaxPayloadBytes = 1024 });

        Assert.True(result.Failed);
        Assert.Contains("Lake:BronzeMaxPayloadBytes", result.FailureMessage, StringComparison.Ordinal);
    }

    private static List<string> Strings(DeltaBatch batch, string column) => [.. batch.Column<string?>(column).Select(v => v!)];
}
