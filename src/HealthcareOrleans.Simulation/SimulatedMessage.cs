using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Simulation.Faults;

namespace HealthcareOrleans.Simulation;

/// <summary>
/// One message for the topic: key = patient id, value = the bytes to send.
/// </summary>
/// <param name="Sequence">Position in the run, from 0.</param>
/// <param name="Event">
/// The event the value encodes (for a flat admission record: the admission or discharge that produced the row);
/// null when the value is deliberately malformed.
/// </param>
/// <param name="Fault">The fault this message carries, if any.</param>
/// <param name="SimulatedAt">The simulated time the message was released at (after its event time when held back).</param>
public sealed record SimulatedMessage(long Sequence, string Key, byte[] Value, PatientFlowEvent? Event, FaultKind? Fault, DateTimeOffset SimulatedAt);
