using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Simulation.Faults;

namespace HealthcareOrleans.Simulation.Running;

/// <summary>What a run delivered.</summary>
/// <param name="Messages">Messages delivered (for the Kafka publisher: acknowledged by the broker), faults included.</param>
/// <param name="EventsByType">Delivered messages by the type of event they carry, in enum order; malformed messages carry none.</param>
/// <param name="Faults">Delivered messages by injected fault.</param>
/// <param name="SimulatedUntil">Simulated release time of the last message; null when nothing was delivered.</param>
/// <param name="Cancelled">The run was stopped by cancellation rather than by reaching its count.</param>
public sealed record SimulationRun(
    long Messages,
    IReadOnlyDictionary<PatientFlowEventType, long> EventsByType,
    FaultInjectionCounts Faults,
    TimeSpan Elapsed,
    DateTimeOffset? SimulatedUntil,
    bool Cancelled)
{
    public double MessagesPerSecond => Elapsed > TimeSpan.Zero ? Messages / Elapsed.TotalSeconds : 0;
}
