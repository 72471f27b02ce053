using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Simulation.Faults;

namespace HealthcareOrleans.Simulation.Output;

/// <summary>
/// A message on its way out, before its sequence number is known. <see cref="ReleaseAt"/> is the simulated time at
/// which it may leave: its own event time, or later when held back. Only a deliberately future-stamped fault claims an
/// event time after it; every other message occurred at or before it, which is what keeps them behind the wall clock.
/// </summary>
internal readonly record struct OutgoingMessage(string Key, byte[] Value, PatientFlowEvent? Event, FaultKind? Fault, DateTimeOffset ReleaseAt);
