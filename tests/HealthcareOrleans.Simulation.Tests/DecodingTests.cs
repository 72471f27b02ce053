using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Simulation.Tests.Support;

namespace HealthcareOrleans.Simulation.Tests;

[Collection(LongRunCollection.Name)]
public sealed class DecodingTests(LongRun run)
{
    private readonly PatientFlowDecoder _decoder = new();

    [Fact]
    public void Every_message_decodes_to_the_event_it_was_generated_from()
    {
        var rejections = new List<string>();
        foreach (var message in run.Messages)
        {
            var expected = message.Event!;
            var result = _decoder.Decode(message.Value, expected.OccurredAt.AddMinutes(1));
            if (!result.IsAccepted)
            {
                rejections.Add($"{expected.EventId}: {result.RejectionReason} {result.Detail}");
                continue;
            }

            Assert.Equal(expected, result.Event! with { Extensions = expected.Extensions });
        }

        Assert.Empty(rejections);
        Assert.True(run.Messages.Count > 20_000, $"the long run has only {run.Messages.Count} messages");
    }

    [Fact]
    public void Events_carry_the_contract_fields()
    {
        Assert.All(run.Events, evt =>
        {
            Assert.Equal(1, evt.SchemaVersion);
            Assert.False(string.IsNullOrEmpty(evt.EncounterId));
            Assert.False(string.IsNullOrEmpty(evt.HospitalId));
            Assert.Equal(TimeSpan.Zero, evt.OccurredAt.Offset);
        });
        Assert.All(run.Events.Where(e => e.EventType == PatientFlowEventType.Arrival), evt =>
        {
            Assert.NotNull(evt.WardId);
            Assert.NotNull(evt.Department);
            Assert.NotNull(evt.Patient?.BirthDate);
            Assert.NotNull(evt.Patient?.PostalCode);
            Assert.NotNull(evt.Patient?.Payer);
        });
    }

    [Fact]
    public async Task Flat_admission_records_decode_as_admissions_and_discharges()
    {
        var options = Simulations.Options() with { Format = SimulationFormat.FlatAdmission };
        var messages = await Simulations.TakeAsync(options, 2_000);

        foreach (var message in messages)
        {
            var source = message.Event!;
            var result = _decoder.Decode(message.Value, source.OccurredAt.AddMinutes(1));
            Assert.True(result.IsAccepted, $"{source.EventId}: {result.RejectionReason} {result.Detail}");
            Assert.Equal(source.PatientId, result.Event!.PatientId);
            Assert.Equal(source.HospitalId, result.Event.HospitalId);
            if (source.EventType == PatientFlowEventType.Admit)
            {
                Assert.Equal(source.OccurredAt, result.Event.OccurredAt);
                Assert.Equal(source.BedId, result.Event.BedId);
                Assert.Single(result.Events);
            }
            else
            {
                Assert.Equal(PatientFlowEventType.Discharge, source.EventType);
                Assert.Equal(source.OccurredAt, result.Events[1].OccurredAt);
            }
        }

        Assert.Contains(messages, m => m.Event!.EventType == PatientFlowEventType.Discharge);
    }
}
