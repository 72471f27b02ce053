using System.Collections.Frozen;
using HealthcareOrleans.Contracts.Events;

namespace HealthcareOrleans.Contracts.Hl7;

/// <summary>
/// ADT trigger events the engine maps, and to what. A07 (inpatient becomes outpatient) ends the inpatient stay, so it
/// is a DISCHARGE from the ward; A06 (outpatient or ED patient becomes inpatient) is an ADMIT from PV1-6. Every other
/// trigger is refused as <c>unsupported_trigger:&lt;code&gt;</c>: kept in Bronze, quarantined, never dropped.
/// </summary>
public static class Hl7AdtTriggers
{
    public static FrozenDictionary<string, PatientFlowEventType> EventTypes { get; } = new Dictionary<string, PatientFlowEventType>(StringComparer.Ordinal)
    {
        ["A01"] = PatientFlowEventType.Admit,
        ["A02"] = PatientFlowEventType.Transfer,
        ["A03"] = PatientFlowEventType.Discharge,
        ["A04"] = PatientFlowEventType.Arrival,
        ["A06"] = PatientFlowEventType.Admit,
        ["A07"] = PatientFlowEventType.Discharge,
        ["A08"] = PatientFlowEventType.Update,
        ["A11"] = PatientFlowEventType.CancelAdmit,
        ["A12"] = PatientFlowEventType.CancelTransfer,
        ["A13"] = PatientFlowEventType.CancelDischarge,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>A40 "merge patient – patient identifier list": refused, but with both patients named in the detail.</summary>
    public const string MergePatient = "A40";
}
