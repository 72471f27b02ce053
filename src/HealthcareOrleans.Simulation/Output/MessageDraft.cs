using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Simulation.Model;

namespace HealthcareOrleans.Simulation.Output;

/// <summary>A generated event encoded in the run's format, waiting in the fault injector's look-ahead window.</summary>
internal sealed record MessageDraft(GeneratedEvent Source, string Key, byte[] Value, DateTimeOffset At)
{
    public PatientFlowEvent Event => Source.Event;

    /// <summary>Encodes in <paramref name="format"/>; null when the format has no row for this event (flat: arrivals, transfers…).</summary>
    public static MessageDraft? Encode(GeneratedEvent generated, SimulationFormat format)
    {
        var evt = generated.Event;
        return format switch
        {
            SimulationFormat.Adt => new MessageDraft(generated, evt.PatientId, PatientFlowEncoder.Encode(evt), evt.OccurredAt),
            SimulationFormat.FlatAdmission when generated.Flat is { } flat => new MessageDraft(generated, evt.PatientId, flat.Encode(), evt.OccurredAt),
            SimulationFormat.FlatAdmission => null,
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown format."),
        };
    }

    public OutgoingMessage AsIs(Faults.FaultKind? fault = null, DateTimeOffset? releaseAt = null) =>
        new(Key, Value, Event, fault, releaseAt ?? At);
}
