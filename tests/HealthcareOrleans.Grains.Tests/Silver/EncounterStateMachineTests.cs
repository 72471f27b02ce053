using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.Contracts.Wards;
using HealthcareOrleans.PatientFlow.Silver;
using static HealthcareOrleans.Contracts.Events.PatientFlowEventType;
using static HealthcareOrleans.Grains.Tests.Support.Clean;

namespace HealthcareOrleans.Grains.Tests.Silver;

public sealed class EncounterStateMachineTests
{
    [Fact]
    public void Arrival_leaves_the_patient_waiting_for_the_ward_it_names()
    {
        var p = Project(Arrival("a", 0));

        Assert.Equal(PatientStatus.Waiting, p.Status);
        Assert.Equal("E-1", p.EncounterId);
        Assert.Equal("RGH", p.HospitalId);
        Assert.Equal("RGH-ED", p.PendingWardId);
        Assert.Null(p.WardId);
        Assert.Equal(At(0), p.ArrivedAt);
        Assert.Equal(3, p.Acuity);
        Assert.Empty(p.Journey);
        Assert.Equal([new ProjectedFact("RGH-ED", "a", WardFlowKind.Arrival, At(0))], p.Facts);
        Assert.Equal(("RGH-ED", WardPresence.Waiting, (string?)null, (DateTimeOffset?)At(0)), p.Placement);
    }

    [Fact]
    public void Arrival_admission_transfer_and_discharge_walk_the_whole_encounter()
    {
        var p = Project(Arrival("a", 0), Admit("b", 60, "RGH-AMU", "AMU-4"), Transfer("c", 600, "RGH-CAR", "CAR-2"), Discharge("d", 3000));

        Assert.Equal(PatientStatus.Discharged, p.Status);
        Assert.Equal("E-1", p.EncounterId);
        Assert.Null(p.WardId);
        Assert.Null(p.BedId);
        Assert.Null(p.PendingWardId);
        Assert.Null(p.Placement);
        Assert.Equal(At(0), p.ArrivedAt);
        Assert.Equal(At(60), p.AdmittedAt);
        Assert.Equal(At(3000), p.DischargedAt);
        Assert.Equal(At(3000), p.LastEventAt);
        Assert.Equal("Cardiology", p.Department);
        Assert.Equal(
            [
                new WardStay("E-1", "RGH-AMU", "AMU-4", At(60), At(600)),
                new WardStay("E-1", "RGH-CAR", "CAR-2", At(600), At(3000)),
            ],
            p.Journey);
        Assert.Equal(
            [
                new ProjectedFact("RGH-ED", "a", WardFlowKind.Arrival, At(0)),
                new ProjectedFact("RGH-AMU", "b", WardFlowKind.Admission, At(60)),
                new ProjectedFact("RGH-AMU", "c", WardFlowKind.TransferOut, At(600)),
                new ProjectedFact("RGH-CAR", "c", WardFlowKind.TransferIn, At(600)),
                new ProjectedFact("RGH-CAR", "d", WardFlowKind.Discharge, At(3000)),
            ],
            p.Facts);
        Assert.Empty(p.Anomalies);
    }

    [Fact]
    public void Each_step_of_the_encounter_shows_the_right_status_ward_and_bed()
    {
        var timeline = new PatientTimeline();
        (CleanEvent Event, PatientStatus Status, string? Ward, string? Bed, WardPresence? Presence)[] steps =
        [
            (Arrival("a", 0), PatientStatus.Waiting, null, null, WardPresence.Waiting),
            (Admit("b", 60, "RGH-AMU", "AMU-4"), PatientStatus.Admitted, "RGH-AMU", "AMU-4", WardPresence.Present),
            (Update("u", 90, bed: "AMU-9"), PatientStatus.Admitted, "RGH-AMU", "AMU-9", WardPresence.Present),
            (Transfer("c", 600, "RGH-CAR", "CAR-2"), PatientStatus.Admitted, "RGH-CAR", "CAR-2", WardPresence.Present),
            (Discharge("d", 3000), PatientStatus.Discharged, null, null, null),
        ];

        foreach (var (e, status, ward, bed, presence) in steps)
        {
            Assert.Equal(TimelineOutcome.Appended, timeline.Insert(e, PatientId));
            var p = timeline.Project(PatientId);
            Assert.Equal(status, p.Status);
            Assert.Equal(ward, p.WardId);
            Assert.Equal(bed, p.BedId);
            Assert.Equal(presence, p.Placement?.Presence);
        }
    }

    [Fact]
    public void A_bed_move_within_the_ward_changes_the_bed_of_the_current_stay_only()
    {
        var p = Project(Admit("b", 0, "RGH-AMU", "AMU-1"), Transfer("t", 30, "RGH-AMU", "AMU-5"));

        Assert.Equal("AMU-5", p.BedId);
        Assert.Equal([new WardStay("E-1", "RGH-AMU", "AMU-5", At(0), null)], p.Journey);
        Assert.DoesNotContain(p.Facts, f => f.Kind is WardFlowKind.TransferIn or WardFlowKind.TransferOut);
    }

    [Fact]
    public void A_direct_admission_opens_the_encounter_without_an_arrival()
    {
        var p = Project(Admit("b", 10, "RGH-SRG", "S-1", encounter: "E-9"));

        Assert.Equal(PatientStatus.Admitted, p.Status);
        Assert.Equal("E-9", p.EncounterId);
        Assert.Null(p.ArrivedAt);
        Assert.Equal(At(10), p.AdmittedAt);
        Assert.Equal("RGH-SRG", p.WardId);
        Assert.Equal("Surgery", p.Department);
        Assert.Equal([new WardStay("E-9", "RGH-SRG", "S-1", At(10), null)], p.Journey);
        Assert.Equal([new ProjectedFact("RGH-SRG", "b", WardFlowKind.Admission, At(10))], p.Facts);
        Assert.Equal(("RGH-SRG", WardPresence.Present, (string?)"S-1", (DateTimeOffset?)At(10)), p.Placement);
    }

    [Fact]
    public void An_event_without_an_encounter_id_gets_one_derived_from_patient_and_time()
    {
        var p = Project(Admit("b", 0, encounter: null));

        Assert.Equal("P-1-20250304080000", p.EncounterId);
    }

    [Fact]
    public void An_emergency_department_discharge_needs_no_admission()
    {
        var p = Project(Arrival("a", 0), Discharge("d", 240));

        Assert.Equal(PatientStatus.Discharged, p.Status);
        Assert.Equal(At(240), p.DischargedAt);
        Assert.Null(p.AdmittedAt);
        Assert.Empty(p.Journey);
        Assert.Null(p.Placement);
        Assert.Equal([new ProjectedFact("RGH-ED", "a", WardFlowKind.Arrival, At(0))], p.Facts);
        Assert.Empty(p.Anomalies);
    }

    [Fact]
    public void A_transfer_without_an_admission_is_an_anomaly_and_changes_nothing()
    {
        var p = Project(Transfer("t", 0, "RGH-CAR"));

        Assert.Equal(PatientStatus.Unknown, p.Status);
        Assert.Empty(p.Facts);
        Assert.Empty(p.Journey);
        Assert.Equal([new EventAnomaly("t", "transfer_without_admission")], p.Anomalies);
    }

    [Fact]
    public void A_transfer_while_only_waiting_is_a_transfer_without_admission()
    {
        var p = Project(Arrival("a", 0), Transfer("t", 10, "RGH-CAR"));

        Assert.Equal(PatientStatus.Waiting, p.Status);
        Assert.Contains(new EventAnomaly("t", "transfer_without_admission"), p.Anomalies);
    }

    [Fact]
    public void A_discharge_without_an_encounter_is_an_anomaly()
    {
        var p = Project(Discharge("d", 0));

        Assert.Equal(PatientStatus.Unknown, p.Status);
        Assert.Equal([new EventAnomaly("d", "discharge_without_encounter")], p.Anomalies);
    }

    [Fact]
    public void A_second_admission_into_the_same_encounter_is_an_anomaly()
    {
        var p = Project(Admit("b", 0, "RGH-AMU"), Admit("b2", 10, "RGH-CAR"));

        Assert.Equal("RGH-AMU", p.WardId);
        Assert.Equal([new EventAnomaly("b2", "admit_while_admitted")], p.Anomalies);
    }

    [Fact]
    public void Cancel_admit_voids_the_admission_and_its_facts_and_the_patient_waits_again()
    {
        var p = Project(Arrival("a", 0), Admit("b", 60), Cancel("x", CancelAdmit, 70));

        Assert.Equal(PatientStatus.Waiting, p.Status);
        Assert.Null(p.WardId);
        Assert.Null(p.AdmittedAt);
        Assert.Equal("RGH-ED", p.PendingWardId);
        Assert.Empty(p.Journey);
        Assert.Equal([new ProjectedFact("RGH-ED", "a", WardFlowKind.Arrival, At(0))], p.Facts);
        Assert.Empty(p.Anomalies);
    }

    [Fact]
    public void Cancel_transfer_puts_the_patient_back_in_the_previous_ward()
    {
        var p = Project(Admit("b", 0, "RGH-AMU", "AMU-1"), Transfer("c", 60, "RGH-CAR", "CAR-1"), Cancel("x", CancelTransfer, 65));

        Assert.Equal(PatientStatus.Admitted, p.Status);
        Assert.Equal("RGH-AMU", p.WardId);
        Assert.Equal("AMU-1", p.BedId);
        Assert.Equal([new WardStay("E-1", "RGH-AMU", "AMU-1", At(0), null)], p.Journey);
        Assert.Equal([new ProjectedFact("RGH-AMU", "b", WardFlowKind.Admission, At(0))], p.Facts);
    }

    [Fact]
    public void Cancel_transfer_voids_only_the_latest_earlier_transfer()
    {
        var p = Project(
            Admit("b", 0, "RGH-AMU"), Transfer("c1", 60, "RGH-CAR"), Transfer("c2", 120, "RGH-ICU"), Cancel("x", CancelTransfer, 130));

        Assert.Equal("RGH-CAR", p.WardId);
        Assert.Contains(p.Facts, f => f.EventId == "c1");
        Assert.DoesNotContain(p.Facts, f => f.EventId == "c2");
    }

    [Fact]
    public void Two_cancels_void_the_two_latest_transfers_in_turn()
    {
        var p = Project(
            Admit("b", 0, "RGH-AMU"), Transfer("c1", 60, "RGH-CAR"), Transfer("c2", 120, "RGH-ICU"),
            Cancel("x1", CancelTransfer, 130), Cancel("x2", CancelTransfer, 140));

        Assert.Equal("RGH-AMU", p.WardId);
        Assert.Equal([new ProjectedFact("RGH-AMU", "b", WardFlowKind.Admission, At(0))], p.Facts);
        Assert.Empty(p.Anomalies);
    }

    [Fact]
    public void Cancel_discharge_puts_the_patient_back_in_the_ward_and_takes_back_the_discharge()
    {
        var p = Project(Admit("b", 0, "RGH-AMU", "AMU-1"), Discharge("d", 600), Cancel("x", CancelDischarge, 610));

        Assert.Equal(PatientStatus.Admitted, p.Status);
        Assert.Equal("RGH-AMU", p.WardId);
        Assert.Equal("AMU-1", p.BedId);
        Assert.Null(p.DischargedAt);
        Assert.Equal([new WardStay("E-1", "RGH-AMU", "AMU-1", At(0), null)], p.Journey);
        Assert.DoesNotContain(p.Facts, f => f.Kind == WardFlowKind.Discharge);
    }

    [Fact]
    public void A_cancel_with_nothing_to_cancel_is_an_anomaly()
    {
        var p = Project(Admit("b", 0), Cancel("x", CancelDischarge, 10));

        Assert.Equal(PatientStatus.Admitted, p.Status);
        Assert.Equal([new EventAnomaly("x", "nothing_to_cancel")], p.Anomalies);
    }

    [Fact]
    public void A_cancel_earlier_in_event_time_than_its_target_cancels_nothing()
    {
        var p = Project(Admit("b", 60), Cancel("x", CancelAdmit, 30));

        Assert.Equal(PatientStatus.Admitted, p.Status);
        Assert.Equal([new EventAnomaly("x", "nothing_to_cancel")], p.Anomalies);
    }

    [Fact]
    public void A_cancel_does_not_reach_into_another_encounter()
    {
        var p = Project(Admit("b", 0, encounter: "E-1"), Cancel("x", CancelAdmit, 10, encounter: "E-2"));

        Assert.Equal(PatientStatus.Admitted, p.Status);
        Assert.Equal([new EventAnomaly("x", "nothing_to_cancel")], p.Anomalies);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("E-1")]
    public void A_cancel_after_a_new_encounter_began_does_not_rewrite_the_closed_one(string? cancelEncounter)
    {
        var p = Project(
            Admit("b", 0, "RGH-AMU", "AMU-1", encounter: "E-1"), Transfer("c", 60, "RGH-CAR", "CAR-1", encounter: "E-1"),
            Discharge("d", 600, encounter: "E-1"), Admit("b2", 3000, "RGH-SRG", "S-1", encounter: "E-2"),
            Cancel("x", CancelTransfer, 3010, encounter: cancelEncounter));

        Assert.Equal(
            [
                new WardStay("E-1", "RGH-AMU", "AMU-1", At(0), At(60)),
                new WardStay("E-1", "RGH-CAR", "CAR-1", At(60), At(600)),
                new WardStay("E-2", "RGH-SRG", "S-1", At(3000), null),
            ],
            p.Journey);
        Assert.Contains(p.Facts, f => f.EventId == "c");
        Assert.Equal([new EventAnomaly("x", "nothing_to_cancel")], p.Anomalies);
    }

    [Fact]
    public void A_cancel_arriving_before_the_event_it_cancels_takes_effect_once_that_event_lands()
    {
        var timeline = Timeline(Admit("b", 0, "RGH-AMU"), Cancel("x", CancelTransfer, 70));
        Assert.Contains(new EventAnomaly("x", "nothing_to_cancel"), timeline.Project(PatientId).Anomalies);

        Assert.Equal(TimelineOutcome.InsertedLate, timeline.Insert(Transfer("c", 60, "RGH-CAR"), PatientId));
        var p = timeline.Project(PatientId);

        Assert.Equal("RGH-AMU", p.WardId);
        Assert.Empty(p.Anomalies);
        Assert.DoesNotContain(p.Facts, f => f.EventId == "c");
    }

    [Fact]
    public void A_new_encounter_while_admitted_closes_the_old_stay_without_counting_a_discharge()
    {
        var p = Project(Admit("b", 0, "RGH-AMU", encounter: "E-1"), Arrival("a2", 600, "RGH-ED", encounter: "E-2"));

        Assert.Equal(PatientStatus.Waiting, p.Status);
        Assert.Equal("E-2", p.EncounterId);
        Assert.Equal([new WardStay("E-1", "RGH-AMU", "AMU-1", At(0), At(600))], p.Journey);
        Assert.DoesNotContain(p.Facts, f => f.Kind == WardFlowKind.Discharge);
        Assert.Equal([new EventAnomaly("a2", "previous_encounter_left_open")], p.Anomalies);
    }

    [Fact]
    public void An_admission_for_a_new_encounter_while_waiting_in_an_old_one_opens_the_new_encounter()
    {
        // The emergency visit's discharge never arrived; days later the patient is admitted electively.
        var p = Project(
            Arrival("a", 0, "RGH-ED", encounter: "E-1"),
            Admit("b", 3000, "RGH-SRG", "S-1", encounter: "E-2"),
            Transfer("c", 3100, "RGH-ICU", "I-1", encounter: "E-2"));

        Assert.Equal(PatientStatus.Admitted, p.Status);
        Assert.Equal("E-2", p.EncounterId);
        Assert.Null(p.ArrivedAt);
        Assert.Equal("RGH-ICU", p.WardId);
        Assert.Equal(
            [new WardStay("E-2", "RGH-SRG", "S-1", At(3000), At(3100)), new WardStay("E-2", "RGH-ICU", "I-1", At(3100), null)],
            p.Journey);
        Assert.Equal([new EventAnomaly("b", "previous_encounter_left_open")], p.Anomalies);
    }

    [Fact]
    public void An_event_of_a_closed_encounter_does_not_touch_the_open_one()
    {
        var p = Project(Admit("b", 0, "RGH-AMU", encounter: "E-2"), Transfer("c", 10, "RGH-CAR", encounter: "E-1"));

        Assert.Equal("RGH-AMU", p.WardId);
        Assert.Equal([new EventAnomaly("c", "transfer_without_admission")], p.Anomalies);
    }
}
