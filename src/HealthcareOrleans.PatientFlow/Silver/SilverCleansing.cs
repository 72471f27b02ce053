using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.PatientFlow.Hospital;

namespace HealthcareOrleans.PatientFlow.Silver;

public readonly record struct CleansingResult(CleanEvent? Event, string? RejectionReason, string? Detail)
{
    public static CleansingResult Rejected(string reason, string detail) => new(null, reason, detail);
}

/// <summary>
/// Bronze → Silver for one decoded event: references checked against the hospital layout, codes canonical,
/// demographics generalised. Pure, so a rebuild from Bronze decides exactly as streaming did.
/// </summary>
public sealed class SilverCleansing(HospitalDirectory directory)
{
    public CleansingResult Cleanse(PatientFlowEvent evt, string patientKey, BrokerPosition position)
    {
        if (!string.Equals(evt.PatientId.Trim(), patientKey, StringComparison.Ordinal))
        {
            return CleansingResult.Rejected(RejectionReasons.KeyMismatch, "patient_id differs from the message key");
        }

        if (!directory.TryGetHospital(evt.HospitalId, out var hospital))
        {
            return CleansingResult.Rejected(RejectionReasons.UnknownHospital, "hospital_id is not in the hospital layout");
        }

        string? wardId = null;
        string? department = null;
        if (evt.WardId is not null)
        {
            if (!TryResolveWard(evt.WardId, hospital.HospitalId, out var ward))
            {
                return CleansingResult.Rejected(RejectionReasons.For(RejectionReasons.UnknownWard, "ward_id"), "ward_id is not a ward of this hospital");
            }

            wardId = ward.WardId;
            department = ward.Department;
        }

        string? fromWardId = null;
        if (evt.FromWardId is not null)
        {
            if (!TryResolveWard(evt.FromWardId, hospital.HospitalId, out var from))
            {
                return CleansingResult.Rejected(RejectionReasons.For(RejectionReasons.UnknownWard, "from_ward_id"), "from_ward_id is not a ward of this hospital");
            }

            fromWardId = from.WardId;
        }

        if (department is null && evt.Department is not null)
        {
            department = directory.FindDepartment(hospital, evt.Department);
            if (department is null)
            {
                return CleansingResult.Rejected(RejectionReasons.UnknownDepartment, "department is not a department of this hospital");
            }
        }

        if (wardId is null && evt.EventType == PatientFlowEventType.Admit && department is not null)
        {
            // The classic flat record names a department only; Silver places the patient in that department's ward.
            wardId = directory.DefaultWardOf(hospital, department)?.WardId;
        }

        return new CleansingResult(new CleanEvent(
            evt.EventId.Trim(), evt.EventType, ToLakePrecision(evt.OccurredAt), hospital.HospitalId,
            Clean(evt.EncounterId), wardId, fromWardId, Clean(evt.BedId)?.ToUpperInvariant(), department, evt.Acuity,
            AttributesOf(evt.Patient, evt.OccurredAt), position, evt.Extensions), null, null);
    }

    private bool TryResolveWard(string wardId, string hospitalId, out Contracts.Hospital.WardDefinition ward) =>
        directory.TryGetWard(wardId, out ward, out var wardHospital) && wardHospital == hospitalId;

    private static PatientAttributes? AttributesOf(PatientDemographics? patient, DateTimeOffset at)
    {
        if (patient is null)
        {
            return null;
        }

        var age = patient.BirthDate is { } birthDate ? PatientAttributeRules.AgeAt(birthDate, at) : patient.Age;
        var attributes = new PatientAttributes(
            PatientAttributeRules.NormaliseGender(patient.Gender),
            age is { } years ? PatientAttributeRules.AgeBandOf(years) : null,
            PatientAttributeRules.PostalRegionOf(patient.PostalCode),
            PatientAttributeRules.NormalisePayer(patient.Payer));
        return attributes is { Gender: null, AgeBand: null, PostalRegion: null, Payer: null } ? null : attributes;
    }

    /// <summary>
    /// UTC, whole microseconds: the precision of Delta/Parquet timestamps. A finer time (ISO-8601 allows seven digits)
    /// would be cut when Silver and Gold store it, and a fold of the stored rows (a restarted Gold flush, a query over
    /// Silver) would then disagree with the grains' fold by a fraction of a microsecond.
    /// </summary>
    private static DateTimeOffset ToLakePrecision(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return utc.AddTicks(-(utc.UtcTicks % TimeSpan.TicksPerMicrosecond));
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
