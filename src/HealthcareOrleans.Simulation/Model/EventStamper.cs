using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Simulation.Output;

namespace HealthcareOrleans.Simulation.Model;

/// <summary>Turns what happened to an encounter into contract events, with ids and the fields each event type carries.</summary>
internal sealed class EventStamper(IdSource ids)
{
    public GeneratedEvent Arrival(Encounter encounter, string department, string wardId, DateTimeOffset at) =>
        new(Create(PatientFlowEventType.Arrival, encounter, at, wardId, null, null, department,
            encounter.Patient.DemographicsAt(at)), null, null);

    public GeneratedEvent Admit(Encounter encounter, DateTimeOffset at) =>
        new(Create(PatientFlowEventType.Admit, encounter, at, encounter.Ward!.WardId, null, encounter.Ward.BedId(encounter.Bed),
            encounter.Ward.Department, null), at, Flat(encounter, null, at));

    public GeneratedEvent Transfer(Encounter encounter, WardBeds from, DateTimeOffset at) =>
        new(Create(PatientFlowEventType.Transfer, encounter, at, encounter.Ward!.WardId, from.WardId, encounter.Ward.BedId(encounter.Bed),
            encounter.Ward.Department, null), encounter.AdmittedAt, null);

    /// <summary>A discharge from a ward bed, or (no bed) from the emergency department after treatment.</summary>
    public GeneratedEvent Discharge(Encounter encounter, WardBeds ward, int bed, DateTimeOffset at) =>
        new(Create(PatientFlowEventType.Discharge, encounter, at, ward.WardId, null, bed >= 0 ? ward.BedId(bed) : null,
            ward.Department, null), encounter.AdmittedAt, encounter.AdmittedAt is { } admittedAt ? Flat(encounter, at, admittedAt) : null);

    public GeneratedEvent Update(Encounter encounter, DateTimeOffset at) =>
        new(Create(PatientFlowEventType.Update, encounter, at, null, null, null, null, encounter.Patient.DemographicsAt(at)),
            encounter.AdmittedAt, null);

    private PatientFlowEvent Create(
        PatientFlowEventType type, Encounter encounter, DateTimeOffset at, string? wardId, string? fromWardId, string? bedId,
        string? department, PatientDemographics? patient) =>
        new(ids.NextEventId(), type, at, encounter.Hospital.HospitalId, encounter.Patient.PatientId, encounter.EncounterId,
            wardId, fromWardId, bedId, department,
            type is PatientFlowEventType.Arrival or PatientFlowEventType.Admit or PatientFlowEventType.Transfer ? encounter.Acuity : null,
            patient, SchemaVersion: 1);

    private static FlatAdmissionRecord Flat(Encounter encounter, DateTimeOffset? dischargedAt, DateTimeOffset admittedAt) =>
        new(encounter.Patient.PatientId, encounter.Patient.Gender, encounter.Patient.AgeAt(admittedAt), encounter.AdmittedDepartment!,
            admittedAt, dischargedAt, encounter.AdmittedBedId!, encounter.Hospital.HospitalId);
}
