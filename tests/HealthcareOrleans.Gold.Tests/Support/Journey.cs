using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.PatientFlow.Gold;
using HealthcareOrleans.PatientFlow.Silver;

namespace HealthcareOrleans.Gold.Tests.Support;

/// <summary>Silver events of hand-written journeys, timed in minutes after <see cref="T0"/>, folded as the patient grain folds them.</summary>
internal static class Journey
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 4, 8, 0, 0, TimeSpan.Zero);

    private static long _offset;

    public static DateTimeOffset At(double minutes) => T0.AddMinutes(minutes);

    public static CleanEvent Event(string id, PatientFlowEventType type, double minutes, string? ward = null, string? bed = null,
        string encounter = "E-1", PatientAttributes? attributes = null, int? acuity = null, string? department = null) =>
        new(id, type, At(minutes), "RGH", encounter, ward, null, bed, department, acuity, attributes,
            new BrokerPosition(0, Interlocked.Increment(ref _offset), 0));

    public static CleanEvent Arrival(string id, double minutes, string ward = "RGH-ED", string encounter = "E-1", PatientAttributes? attributes = null) =>
        Event(id, PatientFlowEventType.Arrival, minutes, ward, encounter: encounter, attributes: attributes, acuity: 3, department: "Emergency");

    public static CleanEvent Admit(string id, double minutes, string ward, string? bed = null, string encounter = "E-1") =>
        Event(id, PatientFlowEventType.Admit, minutes, ward, bed, encounter, department: "Medicine");

    public static CleanEvent Transfer(string id, double minutes, string ward, string? bed = null, string encounter = "E-1") =>
        Event(id, PatientFlowEventType.Transfer, minutes, ward, bed, encounter, department: "Cardiology");

    public static CleanEvent Discharge(string id, double minutes, string encounter = "E-1") =>
        Event(id, PatientFlowEventType.Discharge, minutes, encounter: encounter);

    public static CleanEvent Update(string id, double minutes, PatientAttributes attributes) =>
        Event(id, PatientFlowEventType.Update, minutes, attributes: attributes);

    public static PatientAttributes Attributes(string? gender = null, string? ageBand = null, string? region = null, string? payer = null) =>
        new(gender, ageBand, region, payer);

    /// <summary>A patient's timeline; <see cref="Rows"/> reads its Gold rows after each batch of events, as a flush would.</summary>
    public sealed class Patient(string patientId)
    {
        private readonly PatientTimeline _timeline = new();

        public string Id { get; } = patientId;

        public Patient Apply(params CleanEvent[] events)
        {
            foreach (var e in events)
            {
                _timeline.Insert(e, Id);
            }

            return this;
        }

        public PatientProjection Projection => _timeline.Project(Id);

        public PatientGoldRows Rows => GoldRowBuilder.For(Id, Projection);
    }
}
