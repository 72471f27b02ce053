namespace HealthcareOrleans.Simulation;

/// <summary>What a message value looks like on the topic.</summary>
public enum SimulationFormat
{
    /// <summary>The engine's ADT event: ARRIVAL, ADMIT, TRANSFER, DISCHARGE, UPDATE (the event contract).</summary>
    Adt,

    /// <summary>
    /// The classic design's flat admission record (patient_id, gender, age, department, admission_time, discharge_time,
    /// bed_id, hospital_id): one row when the patient is admitted and the same row again, discharge filled in, when
    /// they leave. It has no arrivals, transfers or demographic updates, so only admissions and discharges are sent.
    /// </summary>
    FlatAdmission,
}
