using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.Contracts.Wards;
using HealthcareOrleans.PatientFlow.Silver;

namespace HealthcareOrleans.PatientFlow.Patients;

/// <summary>What a patient grain persists.</summary>
[GenerateSerializer, Alias("hc.patient-state")]
public sealed class PatientState
{
    /// <summary>The Silver events and the projection they fold into.</summary>
    [Id(0)] public PatientTimeline Timeline { get; set; } = new();

    /// <summary>The movements the wards have been told to count, so a change of history can be sent as a difference.</summary>
    [Id(1)] public List<ProjectedFact> SentFacts { get; set; } = [];

    /// <summary>Where the wards were last told the patient is.</summary>
    [Id(2)] public PlacementSnapshot? SentPlacement { get; set; }

    [Id(3)] public int EventsApplied { get; set; }

    [Id(4)] public int EventsRejected { get; set; }

    /// <summary>The live view the API shows: the projection plus the counts.</summary>
    public PatientView ToView(string patientId)
    {
        var s = this;
        var p = Timeline.Peek(patientId);
        return new PatientView
        {
            PatientId = patientId,
            HospitalId = p.HospitalId,
            Status = p.Status,
            EncounterId = p.EncounterId,
            WardId = p.WardId,
            BedId = p.BedId,
            Department = p.Department,
            Acuity = p.Acuity,
            PendingWardId = p.PendingWardId,
            ArrivedAt = p.ArrivedAt,
            AdmittedAt = p.AdmittedAt,
            DischargedAt = p.DischargedAt,
            Attributes = p.Attributes.Current,
            History = [.. p.Attributes.Versions],
            Journey = [.. p.Journey],
            EventsApplied = s.EventsApplied,
            EventsRejected = s.EventsRejected,
            LastEventAt = p.LastEventAt,
        };
    }
}

[GenerateSerializer, Immutable, Alias("hc.placement-snapshot")]
public sealed record PlacementSnapshot(
    [property: Id(0)] string WardId,
    [property: Id(1)] WardPresence Presence,
    [property: Id(2)] string? BedId,
    [property: Id(3)] DateTimeOffset? Since,
    [property: Id(4)] int? Acuity,
    [property: Id(5)] string? EncounterId);
