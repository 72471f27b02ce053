using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.Contracts.Wards;

namespace HealthcareOrleans.PatientFlow.Silver;

/// <summary>
/// A patient's state as the fold of their Silver events in event-time order: the encounter state machine
/// (ARRIVAL → ADMIT → TRANSFER* → DISCHARGE), the ward journey, the counted ward movements and the SCD Type 2
/// history of the tracked attributes. Cancelled events are resolved by <see cref="PatientTimeline"/> before the fold.
/// </summary>
[GenerateSerializer, Alias("hc.patient-projection")]
public sealed class PatientProjection
{
    [Id(0)] public PatientStatus Status { get; private set; }
    [Id(1)] public string? EncounterId { get; private set; }
    [Id(2)] public string? HospitalId { get; private set; }
    [Id(3)] public string? WardId { get; private set; }
    [Id(4)] public string? BedId { get; private set; }
    [Id(5)] public string? Department { get; private set; }
    [Id(6)] public int? Acuity { get; private set; }
    [Id(7)] public string? PendingWardId { get; private set; }
    [Id(8)] public DateTimeOffset? ArrivedAt { get; private set; }
    [Id(9)] public DateTimeOffset? AdmittedAt { get; private set; }
    [Id(10)] public DateTimeOffset? DischargedAt { get; private set; }
    [Id(11)] public DateTimeOffset? LastEventAt { get; private set; }
    [Id(12)] public List<WardStay> Journey { get; private set; } = [];
    [Id(13)] public List<ProjectedFact> Facts { get; private set; } = [];
    [Id(14)] public List<EventAnomaly> Anomalies { get; private set; } = [];
    [Id(15)] public AttributeHistory Attributes { get; private set; } = new();
    /// <summary>Every encounter's milestones, oldest first: the source of the Gold <c>fact_encounter</c>.</summary>
    [Id(16)] public List<EncounterSummary> Encounters { get; private set; } = [];

    public PatientProjection Clone() => new()
    {
        Status = Status, EncounterId = EncounterId, HospitalId = HospitalId, WardId = WardId, BedId = BedId,
        Department = Department, Acuity = Acuity, PendingWardId = PendingWardId, ArrivedAt = ArrivedAt,
        AdmittedAt = AdmittedAt, DischargedAt = DischargedAt, LastEventAt = LastEventAt,
        Journey = [.. Journey], Facts = [.. Facts], Anomalies = [.. Anomalies], Attributes = Attributes.Clone(),
        Encounters = [.. Encounters],
    };

    /// <summary>The patient's place in the hospital: the ward they are in, or the ward they wait for.</summary>
    public (string WardId, WardPresence Presence, string? BedId, DateTimeOffset? Since)? Placement => Status switch
    {
        PatientStatus.Admitted when WardId is not null => (WardId, WardPresence.Present, BedId, Journey.Count > 0 ? Journey[^1].EnteredAt : AdmittedAt),
        PatientStatus.Waiting when PendingWardId is not null => (PendingWardId, WardPresence.Waiting, null, ArrivedAt),
        _ => null,
    };

    public void Apply(CleanEvent e, string patientId)
    {
        LastEventAt = LastEventAt is { } last && last > e.OccurredAt ? last : e.OccurredAt;
        if (e.Attributes is { } stated)
        {
            Attributes.Apply(stated, e.OccurredAt);
        }

        if (e.Acuity is { } acuity && IsOpen(e))
        {
            Acuity = acuity;
        }

        switch (e.Type)
        {
            case PatientFlowEventType.Arrival:
                Arrive(e, patientId);
                break;
            case PatientFlowEventType.Admit:
                Admit(e, patientId);
                break;
            case PatientFlowEventType.Transfer:
                Transfer(e);
                break;
            case PatientFlowEventType.Discharge:
                Discharge(e);
                break;
            case PatientFlowEventType.Update:
                if (e.BedId is not null && Status == PatientStatus.Admitted && IsOpen(e))
                {
                    MoveBed(e.BedId);
                }

                break;
            default:
                // Cancels were resolved before the fold; reaching here means nothing was left to cancel.
                break;
        }

        // The encounter keeps the acuity the patient view shows, whichever event stated it.
        if (Acuity != CurrentEncounter()?.Acuity && EncounterId is not null)
        {
            UpdateEncounter(s => s with { Acuity = Acuity });
        }
    }

    public void NoteAnomaly(string eventId, string reason) => Anomalies.Add(new EventAnomaly(eventId, reason));

    private void Arrive(CleanEvent e, string patientId)
    {
        if (Status is PatientStatus.Waiting or PatientStatus.Admitted)
        {
            if (e.EncounterId is null || e.EncounterId == EncounterId)
            {
                NoteAnomaly(e.EventId, "arrival_in_open_encounter");
                return;
            }

            LeaveOpenEncounter(e);
        }

        StartEncounter(e, patientId);
        Status = PatientStatus.Waiting;
        ArrivedAt = e.OccurredAt;
        PendingWardId = e.WardId;
        Department = e.Department;
        UpdateEncounter(s => s with { ArrivedAt = e.OccurredAt, ArrivalWardId = e.WardId, Department = e.Department });
        if (e.WardId is not null)
        {
            Facts.Add(new ProjectedFact(e.WardId, e.EventId, WardFlowKind.Arrival, e.OccurredAt));
        }
    }

    private void Admit(CleanEvent e, string patientId)
    {
        if (e.WardId is null)
        {
            NoteAnomaly(e.EventId, "admit_without_ward");
            return;
        }

        if (Status == PatientStatus.Admitted && (e.EncounterId is null || e.EncounterId == EncounterId))
        {
            NoteAnomaly(e.EventId, "admit_while_admitted");
            return;
        }

        var newEncounter = Status is PatientStatus.Waiting or PatientStatus.Admitted && e.EncounterId is not null && e.EncounterId != EncounterId;
        if (newEncounter)
        {
            LeaveOpenEncounter(e);
        }

        if (Status != PatientStatus.Waiting || newEncounter)
        {
            // A direct (elective) admission opens its encounter without an arrival.
            StartEncounter(e, patientId);
            ArrivedAt = null;
        }

        Status = PatientStatus.Admitted;
        AdmittedAt = e.OccurredAt;
        PendingWardId = null;
        Department = e.Department;
        WardId = e.WardId;
        BedId = e.BedId;
        Journey.Add(new WardStay(EncounterId!, e.WardId, e.BedId, e.OccurredAt, null));
        Facts.Add(new ProjectedFact(e.WardId, e.EventId, WardFlowKind.Admission, e.OccurredAt));
        UpdateEncounter(s => s with { AdmittedAt = e.OccurredAt, Department = e.Department });
    }

    private void Transfer(CleanEvent e)
    {
        if (Status != PatientStatus.Admitted || !IsOpen(e) || e.WardId is null)
        {
            NoteAnomaly(e.EventId, "transfer_without_admission");
            return;
        }

        if (e.WardId == WardId)
        {
            if (e.BedId is not null)
            {
                MoveBed(e.BedId);
            }

            return;
        }

        var from = WardId!;
        CloseStay(e.OccurredAt);
        Facts.Add(new ProjectedFact(from, e.EventId, WardFlowKind.TransferOut, e.OccurredAt));
        Facts.Add(new ProjectedFact(e.WardId, e.EventId, WardFlowKind.TransferIn, e.OccurredAt));
        WardId = e.WardId;
        BedId = e.BedId;
        Department = e.Department ?? Department;
        Journey.Add(new WardStay(EncounterId!, e.WardId, e.BedId, e.OccurredAt, null));
    }

    private void Discharge(CleanEvent e)
    {
        if (Status is not (PatientStatus.Waiting or PatientStatus.Admitted) || !IsOpen(e))
        {
            NoteAnomaly(e.EventId, "discharge_without_encounter");
            return;
        }

        if (Status == PatientStatus.Admitted)
        {
            Facts.Add(new ProjectedFact(WardId!, e.EventId, WardFlowKind.Discharge, e.OccurredAt));
            CloseStay(e.OccurredAt);
        }

        Status = PatientStatus.Discharged;
        DischargedAt = e.OccurredAt;
        UpdateEncounter(s => s with { EndedAt = e.OccurredAt, Ending = EncounterEnding.Discharged });
        WardId = null;
        BedId = null;
        PendingWardId = null;
    }

    /// <summary>A new encounter began while the previous one was never discharged: close it without counting a discharge.</summary>
    private void LeaveOpenEncounter(CleanEvent e)
    {
        NoteAnomaly(e.EventId, "previous_encounter_left_open");
        UpdateEncounter(s => s with { EndedAt = e.OccurredAt, Ending = EncounterEnding.Superseded });
        if (Status == PatientStatus.Admitted)
        {
            CloseStay(e.OccurredAt);
        }

        WardId = null;
        BedId = null;
        PendingWardId = null;
    }

    private void StartEncounter(CleanEvent e, string patientId)
    {
        EncounterId = e.EncounterId ?? $"{patientId}-{e.OccurredAt.UtcDateTime:yyyyMMddHHmmss}";
        HospitalId = e.HospitalId;
        AdmittedAt = null;
        DischargedAt = null;
        Acuity = e.Acuity;
        Encounters.Add(new EncounterSummary(EncounterId, HospitalId, e.Department, Acuity, null, null, null, null, EncounterEnding.Open));
    }

    private EncounterSummary? CurrentEncounter() =>
        Encounters.Count > 0 && Encounters[^1].EncounterId == EncounterId ? Encounters[^1] : null;

    /// <summary>
    /// Changes the summary of the current encounter. A state persisted before summaries existed has none for its open
    /// encounter: it is started from what the projection knows, so that encounter still reaches Gold.
    /// </summary>
    private void UpdateEncounter(Func<EncounterSummary, EncounterSummary> change)
    {
        if (EncounterId is null)
        {
            return;
        }

        if (CurrentEncounter() is null)
        {
            Encounters.Add(new EncounterSummary(EncounterId, HospitalId, Department, Acuity, ArrivedAt, PendingWardId, AdmittedAt, null, EncounterEnding.Open));
        }

        Encounters[^1] = change(Encounters[^1]);
    }

    private void MoveBed(string bedId)
    {
        BedId = bedId;
        if (Journey.Count > 0 && Journey[^1].LeftAt is null)
        {
            Journey[^1] = Journey[^1] with { BedId = bedId };
        }
    }

    private void CloseStay(DateTimeOffset at)
    {
        if (Journey.Count > 0 && Journey[^1].LeftAt is null)
        {
            Journey[^1] = Journey[^1] with { LeftAt = at };
        }
    }

    /// <summary>An event that names an encounter applies only to the open one; one that names none, to whichever is open.</summary>
    private bool IsOpen(CleanEvent e) => e.EncounterId is null || e.EncounterId == EncounterId;
}
