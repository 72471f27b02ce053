using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Simulation.Output;

namespace HealthcareOrleans.Simulation.Model;

/// <summary>
/// One event the simulation produced, with what only the simulation knows: when the encounter was admitted (to forge
/// a discharge before it) and the flat admission row, for admissions and discharges of admitted patients.
/// </summary>
internal readonly record struct GeneratedEvent(PatientFlowEvent Event, DateTimeOffset? AdmittedAt, FlatAdmissionRecord? Flat);
