using System.Text;
using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Medallion.Bronze;
using HealthcareOrleans.Medallion.SilverLake;
using HealthcareOrleans.Pipeline.Tests.Support;

namespace HealthcareOrleans.Pipeline.Tests;

/// <summary>
/// HL7 v2 produced to the topic as it is (ER7 bytes) takes the same intake path as JSON: Bronze keeps the raw bytes,
/// Silver holds its events, told apart from JSON ones only by <c>source_format</c>, and an unsupported trigger is quarantined.
/// </summary>
[Collection(PipelineCollection.Name)]
public sealed class Hl7OnTheTopicTests
{
    [Fact]
    public async Task ER7_messages_on_the_topic_land_in_Silver_as_hl7v2_beside_JSON_and_an_A40_is_quarantined_with_its_bytes()
    {
        await using var lake = await LakePipelineCluster.StartAsync();
        var json = await LakeSimulations.GenerateAsync(40, seed: 14);
        var at = DateTimeOffset.UtcNow.AddMinutes(-30);
        byte[] Er7(string trigger, string control, string patient, DateTimeOffset when, string pv1) => Encoding.UTF8.GetBytes(
            $"MSH|^~\\&|PAS|RGH|ENGINE|RGH|{when:yyyyMMddHHmmss}+0000||ADT^{trigger}|{control}|P|2.5.1\r"
            + $"EVN|{trigger}|{when:yyyyMMddHHmmss}+0000\r"
            + $"PID|1||{patient}^^^RGH^MR||DOE^JANE||19580630|F\r"
            + $"MRG|OLD-{patient}^^^RGH^MR\r"
            + $"{pv1}\r");
        var admit = Er7("A01", "HL7-1", "H-1", at, "PV1|1|I|RGH-AMU^^RGH-AMU-B01^RGH||||||||||||||||V-1");
        var transfer = Er7("A02", "HL7-2", "H-1", at.AddMinutes(10), "PV1|1|I|RGH-CAR^^RGH-CAR-B02^RGH|||RGH-AMU|||||||||||||V-1");
        var unkeyed = Er7("A01", "HL7-3", "H-2", at, "PV1|1|I|RGH-AMU^^RGH-AMU-B02^RGH||||||||||||||||V-2");
        var merge = Er7("A40", "HL7-4", "H-1", at, "PV1|1|I");
        List<(string? Key, byte[] Value)> messages = [.. json.AsKafka(), ("RGH:H-1", admit), ("RGH:H-1", transfer), (null, unkeyed), (null, merge)];

        var records = await lake.ProduceAsync(messages);
        await lake.WaitForSilverAsync(records.Count, TimeSpan.FromSeconds(90));

        var events = await (await lake.OpenAsync(SilverEventsTable.Path)).ReadAsync();
        var formats = events.Column<string?>(SilverEventsTable.EventId).Zip(events.Column<string?>(SilverEventsTable.SourceFormat))
            .ToDictionary(p => p.First!, p => p.Second);
        Assert.Equal(SourceFormats.Hl7V2, formats["HL7-1"]);
        Assert.Equal(SourceFormats.Hl7V2, formats["HL7-2"]);
        Assert.Equal(SourceFormats.Hl7V2, formats["HL7-3"]);
        Assert.All(json.Select(m => m.Event!.EventId), id => Assert.Equal(SourceFormats.Json, formats[id]));
        var rows = events.Column<string?>(SilverEventsTable.EventId).Select((id, i) => (id, i)).ToDictionary(p => p.id!, p => p.i);
        Assert.Equal("RGH-CAR", events.Column<string?>("ward_id")[rows["HL7-2"]]);
        Assert.Equal("RGH-AMU", events.Column<string?>("from_ward_id")[rows["HL7-2"]]);
        Assert.Equal("RGH:H-2", events.Column<string?>("patient_id")[rows["HL7-3"]]);
        var transferredAt = at.AddMinutes(10);
        Assert.Equal(transferredAt.AddTicks(-(transferredAt.Ticks % TimeSpan.TicksPerSecond)), events.Column<DateTimeOffset?>("occurred_at")[rows["HL7-2"]]);

        var quarantine = await (await lake.OpenAsync(QuarantineTable.Path)).ReadAsync();
        var refused = Assert.Single(quarantine.Column<string?>(QuarantineTable.Reason), r => r!.StartsWith("unsupported_trigger", StringComparison.Ordinal));
        Assert.Equal("unsupported_trigger:A40", refused);
        Assert.Contains(quarantine.Column<byte[]?>("payload"), p => p!.AsSpan().SequenceEqual(merge));

        var bronze = await (await lake.OpenAsync(BronzeTable.Path)).ReadAsync();
        foreach (var er7 in new[] { admit, transfer, unkeyed, merge })
        {
            Assert.Contains(bronze.Column<byte[]?>(BronzeTable.Payload), p => p!.AsSpan().SequenceEqual(er7));
        }
    }
}
