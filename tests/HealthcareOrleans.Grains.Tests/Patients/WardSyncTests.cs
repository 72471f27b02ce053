using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Wards;
using HealthcareOrleans.PatientFlow.Patients;
using HealthcareOrleans.PatientFlow.Silver;
using HealthcareOrleans.PatientFlow.Wards;
using static HealthcareOrleans.Contracts.Events.PatientFlowEventType;
using static HealthcareOrleans.Grains.Tests.Support.Clean;

namespace HealthcareOrleans.Grains.Tests.Patients;

public sealed class WardSyncTests
{
    /// <summary>What a patient grain does: plan against what was sent, remember the plan, and feed the wards.</summary>
    private sealed class Patient
    {
        public PatientTimeline Timeline { get; } = new();
        public List<ProjectedFact> Sent { get; private set; } = [];
        public PlacementSnapshot? Placement { get; private set; }
        public Dictionary<string, WardLedger> Wards { get; } = new(StringComparer.Ordinal);

        public WardSyncPlan? Receive(CleanEvent e)
        {
            Timeline.Insert(e, PatientId);
            var plan = WardSync.Plan(PatientId, Timeline.Project(PatientId), Sent, Placement);
            if (plan is not null)
            {
                foreach (var (wardId, update) in plan.Updates)
                {
                    if (!Wards.TryGetValue(wardId, out var ledger))
                    {
                        Wards[wardId] = ledger = new WardLedger();
                    }

                    ledger.Apply(update);
                }

                Sent = plan.SentFacts;
                Placement = plan.Placement;
            }

            return plan;
        }

        public WardCensus Census(string wardId) =>
            (Wards.TryGetValue(wardId, out var ledger) ? ledger : new WardLedger())
                .ToCensus(HospitalLayout.Default.Wards.Single(w => w.WardId == wardId), "RGH", includeOccupants: true);
    }

    private static WardUpdate UpdateFor(WardSyncPlan plan, string wardId) => Assert.Single(plan.Updates, u => u.WardId == wardId).Update;

    [Fact]
    public void The_first_plan_sends_the_new_facts_and_the_placement()
    {
        var plan = new Patient().Receive(Arrival("a", 0))!;

        var (wardId, update) = Assert.Single(plan.Updates);
        Assert.Equal("RGH-ED", wardId);
        Assert.Equal(new WardUpdate(PatientId, "E-1", WardPresence.Waiting, null, At(0), 3, update.Facts), update);
        Assert.Equal([new WardFlowFact("a", WardFlowKind.Arrival, At(0), false)], update.Facts);
        Assert.Equal(new PlacementSnapshot("RGH-ED", WardPresence.Waiting, null, At(0), 3, "E-1"), plan.Placement);
        Assert.Equal([new ProjectedFact("RGH-ED", "a", WardFlowKind.Arrival, At(0))], plan.SentFacts);
    }

    [Fact]
    public void Nothing_changed_means_no_plan()
    {
        var patient = new Patient();
        patient.Receive(Admit("b", 0, "RGH-AMU", "AMU-1"));

        Assert.Null(patient.Receive(Update("u", 10, Attributes(payer: "Nhs"))));
        Assert.Null(WardSync.Plan(PatientId, patient.Timeline.Project(PatientId), patient.Sent, patient.Placement));
    }

    [Fact]
    public void A_plan_sends_only_the_facts_that_are_new()
    {
        var patient = new Patient();
        patient.Receive(Arrival("a", 0));

        var plan = patient.Receive(Admit("b", 60, "RGH-AMU", "AMU-1"))!;

        var facts = plan.Updates.SelectMany(u => u.Update.Facts).ToList();
        Assert.Equal([new WardFlowFact("b", WardFlowKind.Admission, At(60), false)], facts);
    }

    [Fact]
    public void Admission_moves_the_patient_from_waiting_in_one_ward_to_present_in_another()
    {
        var patient = new Patient();
        patient.Receive(Arrival("a", 0));

        var plan = patient.Receive(Admit("b", 60, "RGH-AMU", "AMU-1"))!;

        Assert.Equal(WardPresence.Absent, UpdateFor(plan, "RGH-ED").Presence);
        Assert.Empty(UpdateFor(plan, "RGH-ED").Facts);
        var amu = UpdateFor(plan, "RGH-AMU");
        Assert.Equal((WardPresence.Present, "AMU-1", (DateTimeOffset?)At(60)), (amu.Presence, amu.BedId, amu.Since));
        Assert.Equal(0, patient.Census("RGH-ED").Waiting);
        Assert.Equal(1, patient.Census("RGH-AMU").Occupied);
    }

    [Fact]
    public void A_transfer_moves_presence_from_the_old_ward_to_the_new_one()
    {
        var patient = new Patient();
        patient.Receive(Admit("b", 0, "RGH-AMU", "AMU-1"));

        var plan = patient.Receive(Transfer("c", 60, "RGH-CAR", "CAR-1"))!;

        Assert.Equal(2, plan.Updates.Count);
        var amu = UpdateFor(plan, "RGH-AMU");
        Assert.Equal(WardPresence.Absent, amu.Presence);
        Assert.Equal([new WardFlowFact("c", WardFlowKind.TransferOut, At(60), false)], amu.Facts);
        var car = UpdateFor(plan, "RGH-CAR");
        Assert.Equal(WardPresence.Present, car.Presence);
        Assert.Equal([new WardFlowFact("c", WardFlowKind.TransferIn, At(60), false)], car.Facts);
        Assert.Equal((0, 1, 1), (patient.Census("RGH-AMU").Occupied, patient.Census("RGH-AMU").AdmissionsToday, patient.Census("RGH-AMU").TransfersOutToday));
        Assert.Equal((1, 1), (patient.Census("RGH-CAR").Occupied, patient.Census("RGH-CAR").TransfersInToday));
    }

    [Fact]
    public void A_bed_move_updates_the_ward_the_patient_is_in()
    {
        var patient = new Patient();
        patient.Receive(Admit("b", 0, "RGH-AMU", "AMU-1"));

        var plan = patient.Receive(Update("u", 10, bed: "AMU-7"))!;

        var update = UpdateFor(plan, "RGH-AMU");
        Assert.Equal((WardPresence.Present, "AMU-7"), (update.Presence, update.BedId));
        Assert.Empty(update.Facts);
    }

    [Fact]
    public void A_cancelled_transfer_is_sent_as_retractions_and_the_patient_moves_back()
    {
        var patient = new Patient();
        patient.Receive(Admit("b", 0, "RGH-AMU", "AMU-1"));
        patient.Receive(Transfer("c", 60, "RGH-CAR", "CAR-1"));

        var plan = patient.Receive(Cancel("x", CancelTransfer, 65))!;

        var amu = UpdateFor(plan, "RGH-AMU");
        Assert.Equal(WardPresence.Present, amu.Presence);
        Assert.Equal([new WardFlowFact("c", WardFlowKind.TransferOut, At(60), true)], amu.Facts);
        var car = UpdateFor(plan, "RGH-CAR");
        Assert.Equal(WardPresence.Absent, car.Presence);
        Assert.Equal([new WardFlowFact("c", WardFlowKind.TransferIn, At(60), true)], car.Facts);
        Assert.Equal((1, 1, 0), (patient.Census("RGH-AMU").Occupied, patient.Census("RGH-AMU").AdmissionsToday, patient.Census("RGH-AMU").TransfersOutToday));
        Assert.Equal((0, 0), (patient.Census("RGH-CAR").Occupied, patient.Census("RGH-CAR").TransfersInToday));
    }

    [Fact]
    public void A_discharge_counts_once_and_leaves_the_ward()
    {
        var patient = new Patient();
        patient.Receive(Admit("b", 0, "RGH-AMU", "AMU-1"));

        var plan = patient.Receive(Discharge("d", 300))!;

        var amu = UpdateFor(plan, "RGH-AMU");
        Assert.Equal(WardPresence.Absent, amu.Presence);
        Assert.Equal([new WardFlowFact("d", WardFlowKind.Discharge, At(300), false)], amu.Facts);
        Assert.Null(plan.Placement);
        Assert.Equal((0, 1), (patient.Census("RGH-AMU").Occupied, patient.Census("RGH-AMU").DischargesToday));
    }

    [Fact]
    public void A_late_transfer_moves_exactly_the_counts_it_changes()
    {
        var patient = new Patient();
        patient.Receive(Admit("b", 0, "RGH-AMU", "AMU-1"));
        patient.Receive(Discharge("d", 300));

        var plan = patient.Receive(Transfer("c", 100, "RGH-CAR", "CAR-1"))!;

        Assert.Equal(
            [new WardFlowFact("c", WardFlowKind.TransferOut, At(100), false), new WardFlowFact("d", WardFlowKind.Discharge, At(300), true)],
            UpdateFor(plan, "RGH-AMU").Facts.OrderBy(f => f.OccurredAt));
        Assert.Equal(
            [new WardFlowFact("c", WardFlowKind.TransferIn, At(100), false), new WardFlowFact("d", WardFlowKind.Discharge, At(300), false)],
            UpdateFor(plan, "RGH-CAR").Facts.OrderBy(f => f.OccurredAt));
        Assert.Equal((0, 1, 0), (patient.Census("RGH-AMU").Occupied, patient.Census("RGH-AMU").TransfersOutToday, patient.Census("RGH-AMU").DischargesToday));
        Assert.Equal((0, 1, 1), (patient.Census("RGH-CAR").Occupied, patient.Census("RGH-CAR").TransfersInToday, patient.Census("RGH-CAR").DischargesToday));
    }

    [Fact]
    public void Replaying_every_event_changes_no_ward()
    {
        var patient = new Patient();
        CleanEvent[] events = [Arrival("a", 0), Admit("b", 60, "RGH-AMU", "AMU-1"), Transfer("c", 120, "RGH-CAR", "CAR-1")];
        foreach (var e in events)
        {
            patient.Receive(e);
        }

        foreach (var e in events)
        {
            Assert.Null(patient.Receive(e));
        }
    }

    [Fact]
    public void Facts_older_than_the_wards_window_are_neither_sent_nor_retracted()
    {
        var patient = new Patient();
        patient.Receive(Admit("b", 0, "RGH-AMU", "AMU-1"));
        var late = WardLedger.Window + TimeSpan.FromHours(2);

        var plan = patient.Receive(Transfer("c", (int)late.TotalMinutes, "RGH-CAR", "CAR-1"))!;

        Assert.DoesNotContain(plan.Updates.SelectMany(u => u.Update.Facts), f => f.EventId == "b");
        Assert.DoesNotContain(plan.SentFacts, f => f.EventId == "b");
    }

    [Fact]
    public void A_long_stay_with_many_transfers_leaves_the_wards_the_same_whatever_order_its_events_arrive_in()
    {
        // Thirty transfers between two wards: more facts than the small-list path plans with, so the set path runs.
        var events = new List<CleanEvent> { Admit("b", 0, "RGH-AMU", "AMU-1") };
        for (var i = 1; i <= 30; i++)
        {
            events.Add(i % 2 == 1 ? Transfer($"t{i}", i * 10, "RGH-CAR", "CAR-1") : Transfer($"t{i}", i * 10, "RGH-AMU", "AMU-1"));
        }

        events.Add(Discharge("d", 400));
        var inOrder = new Patient();
        foreach (var e in events)
        {
            inOrder.Receive(e);
        }

        var shuffled = new Patient();
        var random = new Random(7);
        foreach (var e in events.OrderBy(_ => random.Next()))
        {
            shuffled.Receive(e);
        }

        foreach (var ward in new[] { "RGH-AMU", "RGH-CAR" })
        {
            var expected = inOrder.Census(ward);
            var actual = shuffled.Census(ward);
            Assert.Equal(
                (expected.Occupied, expected.TransfersInToday, expected.TransfersOutToday, expected.DischargesToday),
                (actual.Occupied, actual.TransfersInToday, actual.TransfersOutToday, actual.DischargesToday));
        }

        // Counted from the events themselves: 15 transfers into cardiology, 15 back, and the discharge from the last ward.
        Assert.Equal((0, 15, 15, 1), (inOrder.Census("RGH-AMU").Occupied, inOrder.Census("RGH-CAR").TransfersInToday,
            inOrder.Census("RGH-AMU").TransfersInToday, inOrder.Census("RGH-AMU").DischargesToday));
        Assert.All(events, e => Assert.Null(inOrder.Receive(e)));
    }
}
