using System.Text;
using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Grains.Tests.Support;
using HealthcareOrleans.Medallion.SilverLake;
using HealthcareOrleans.PatientFlow.Silver;

namespace HealthcareOrleans.Grains.Tests.Silver;

/// <summary>Bronze record → Silver rows: every event of a message becomes its own part, with the message's wire format.</summary>
public sealed class SilverRecordTransformerTests
{
    private static readonly DateTime AppendedAtUtc = new(2025, 3, 4, 0, 0, 0, DateTimeKind.Utc);

    private static SilverRecordTransformer NewTransformer()
    {
        var decoder = new PatientFlowDecoder();
        return new(decoder, BronzeLake.Intake(decoder: decoder));
    }

    [Fact]
    public void Each_event_of_a_message_is_a_part_in_message_order_with_its_source_format_in_the_Silver_column()
    {
        var flat = """{"patient_id":"P-2","gender":"Male","age":67,"department":"medicine","admission_time":"2025-03-01 08:30:00","discharge_time":"2025-03-02 09:00:00","hospital_id":"nch"}""";
        var record = new BrokerRecord("patient-flow", 3, 17, AppendedAtUtc, "P-2", Encoding.UTF8.GetBytes(flat));
        List<SilverEventRow> accepted = [];
        List<QuarantineRow> rejected = [];

        NewTransformer().Transform(record, "test-source", DateTimeOffset.UnixEpoch, accepted, rejected);

        Assert.Empty(rejected);
        Assert.Equal([new BrokerPosition(3, 17, 0), new BrokerPosition(3, 17, 1)], accepted.Select(r => r.Event.Position));
        Assert.Equal([PatientFlowEventType.Admit, PatientFlowEventType.Discharge], accepted.Select(r => r.Event.Type));
        var batch = SilverBatches.Events(accepted, new HashSet<string>());
        Assert.Equal(new string?[] { SourceFormats.Json, SourceFormats.Json }, batch.Column<string?>(SilverEventsTable.SourceFormat));
        Assert.Contains(SilverEventsTable.Schema.Fields, f => f.Name == SilverEventsTable.SourceFormat && f.Nullable);
    }

    [Fact]
    public void A_refused_format_is_quarantined_whole_with_its_reason()
    {
        var record = new BrokerRecord("patient-flow", 0, 5, AppendedAtUtc, "P-2", """{"resourceType":"Encounter"}"""u8.ToArray());
        List<SilverEventRow> accepted = [];
        List<QuarantineRow> rejected = [];

        NewTransformer().Transform(record, "test-source", DateTimeOffset.UnixEpoch, accepted, rejected);

        Assert.Empty(accepted);
        var row = Assert.Single(rejected);
        Assert.Equal(("unsupported_format:fhir", 0), (row.Reason, row.Part));
    }
}
