using System.Text;
using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Simulation.Replay.Mimic;

namespace HealthcareOrleans.Simulation.Tests.Replay;

/// <summary>The replay's adt.hl7 through the engine's own intake decoder: every message maps, to the movement its trigger names.</summary>
public sealed class MimicAdtIntakeTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly string _out = Path.Combine(Path.GetTempPath(), "mimic-intake-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_out, recursive: true);

    [Fact]
    public void Every_replayed_message_decodes_to_its_movement_in_a_ward_of_the_replayed_layout()
    {
        var summary = MimicReplayConverter.Convert(MimicData.DemoDirectory, _out, Now);
        var layout = HospitalLayout.LoadFile(Path.Combine(_out, MimicReplayConverter.LayoutFile));
        var wards = layout.Wards.Select(w => w.WardId).ToHashSet(StringComparer.Ordinal);
        var text = File.ReadAllText(Path.Combine(_out, MimicReplayConverter.AdtFile));
        // One message per MSH at the start of a segment (segments end with CR).
        var messages = ("\r" + text).Split("\rMSH|", StringSplitOptions.RemoveEmptyEntries).Select(m => "MSH|" + m).ToList();
        var decoder = new PatientFlowDecoder();

        var events = messages.Select(m => decoder.Decode(Encoding.UTF8.GetBytes(m), Now)).ToList();

        Assert.Equal(summary.Messages, messages.Count);
        Assert.All(events, e => Assert.True(e.IsAccepted, e.RejectionReason + " " + e.Detail));
        var decoded = events.Select(e => Assert.Single(e.Events)).ToList();
        Assert.All(decoded, e => Assert.Equal(SourceFormats.Hl7V2, e.SourceFormat));
        Assert.All(decoded, e => Assert.Equal(MimicCareUnits.HospitalId, e.HospitalId));
        Assert.All(decoded, e => Assert.StartsWith(MimicReplayConverter.AssigningAuthority + ":", e.PatientId, StringComparison.Ordinal));
        Assert.All(decoded.Where(e => e.WardId is not null), e => Assert.Contains(e.WardId!, wards));
        Assert.Equal(summary.MessagesByTrigger["A04"], decoded.Count(e => e.EventType == PatientFlowEventType.Arrival));
        Assert.Equal(summary.MessagesByTrigger["A01"], decoded.Count(e => e.EventType == PatientFlowEventType.Admit));
        Assert.Equal(summary.MessagesByTrigger["A02"], decoded.Count(e => e.EventType == PatientFlowEventType.Transfer));
        Assert.Equal(summary.MessagesByTrigger["A03"], decoded.Count(e => e.EventType == PatientFlowEventType.Discharge));
        Assert.Equal(summary.Encounters, decoded.Select(e => e.EncounterId).Distinct().Count());
        Assert.Equal(messages.Count, decoded.Select(e => e.EventId).Distinct().Count());
    }
}
