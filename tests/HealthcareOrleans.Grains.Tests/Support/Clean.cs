using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.PatientFlow.Silver;

namespace HealthcareOrleans.Grains.Tests.Support;

/// <summary>Silver events for one patient, timed in minutes after <see cref="T0"/>.</summary>
internal static class Clean
{
    public const string PatientId = "P-1";

    public static readonly DateTimeOffset T0 = new(2025, 3, 4, 8, 0, 0, TimeSpan.Zero);

    private static long _offset;

    public static DateTimeOffset At(int minutes) => T0.AddMinutes(minutes);

    public static CleanEvent Event(
        string id, PatientFlowEventType type, int minutes, string? ward = null, string? bed = null, string? encounter = "E-1",
        PatientAttributes? attributes = null, int? acuity = null, string? from = null, string? department = null, long? offset = null) =>
        new(id, type, At(minutes), "RGH", encounter, ward, from, bed, department ?? DepartmentOf(ward), acuity, attributes,
            new BrokerPosition(0, offset ?? Interlocked.Increment(ref _offset), 0));

    public static CleanEvent Arrival(string id, int minutes, string? ward = "RGH-ED", string? encounter = "E-1", PatientAttributes? attributes = null) =>
        Event(id, PatientFlowEventType.Arrival, minutes, ward, encounter: encounter, attributes: attributes, acuity: 3);

    public static CleanEvent Admit(string id, int minutes, string ward = "RGH-AMU", string? bed = "AMU-1", string? encounter = "E-1") =>
        Event(id, PatientFlowEventType.Admit, minutes, ward, bed, encounter);

    public static CleanEvent Transfer(string id, int minutes, string ward, string? bed = null, string? encounter = "E-1") =>
        Event(id, PatientFlowEventType.Transfer, minutes, ward, bed, encounter);

    public static CleanEvent Discharge(string id, int minutes, string? encounter = "E-1") =>
        Event(id, PatientFlowEventType.Discharge, minutes, encounter: encounter);

    public static CleanEvent Update(string id, int minutes, PatientAttributes? attributes = null, string? bed = null, string? encounter = "E-1") =>
        Event(id, PatientFlowEventType.Update, minutes, bed: bed, encounter: encounter, attributes: attributes);

    public static CleanEvent Cancel(string id, PatientFlowEventType type, int minutes, string? encounter = "E-1") =>
        Event(id, type, minutes, encounter: encounter);

    public static PatientAttributes Attributes(string? gender = null, string? ageBand = null, string? region = null, string? payer = null) =>
        new(gender, ageBand, region, payer);

    public static PatientTimeline Timeline(params CleanEvent[] events)
    {
        var timeline = new PatientTimeline();
        foreach (var e in events)
        {
            timeline.Insert(e, PatientId);
            timeline.Project(PatientId);
        }

        return timeline;
    }

    public static PatientProjection Project(params CleanEvent[] events) => Timeline(events).Project(PatientId);

    private static string? DepartmentOf(string? ward) => ward switch
    {
        null => null,
        "RGH-ED" => "Emergency",
        "RGH-AMU" or "RGH-MED2" => "Medicine",
        "RGH-CAR" => "Cardiology",
        "RGH-SRG" => "Surgery",
        "RGH-ICU" => "Critical Care",
        _ => "Other",
    };
}
