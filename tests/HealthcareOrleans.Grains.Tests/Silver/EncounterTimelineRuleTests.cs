using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.PatientFlow.Silver;
using static HealthcareOrleans.Contracts.Events.PatientFlowEventType;
using static HealthcareOrleans.Grains.Tests.Support.Clean;

namespace HealthcareOrleans.Grains.Tests.Silver;

/// <summary>The timeline's refusals: events that contradict their encounter, and ids reused for other content.</summary>
public sealed class EncounterTimelineRuleTests
{
    [Fact]
    public void A_discharge_before_the_admission_of_its_encounter_is_refused_and_the_wait_is_kept()
    {
        var timeline = Timeline(Arrival("a", 0), Admit("b", 5000));

        Assert.Equal(TimelineOutcome.ImpossibleTime, timeline.Insert(Discharge("bogus", 4000), PatientId));

        var p = timeline.Project(PatientId);
        Assert.Equal(PatientStatus.Admitted, p.Status);
        Assert.Equal(At(0), p.ArrivedAt);
        Assert.Single(p.Encounters);
    }

    [Fact]
    public void An_admission_after_the_discharge_of_its_encounter_is_refused_whichever_came_first()
    {
        var timeline = Timeline(Discharge("d", 100));

        Assert.Equal(TimelineOutcome.ImpossibleTime, timeline.Insert(Admit("b", 200), PatientId));
        Assert.Equal(TimelineOutcome.InsertedLate, timeline.Insert(Admit("b0", 50), PatientId));
        Assert.Equal(PatientStatus.Discharged, timeline.Project(PatientId).Status);
    }

    [Fact]
    public void An_encounter_id_reused_after_its_discharge_is_refused_until_the_discharge_is_cancelled()
    {
        var timeline = Timeline(Admit("b", 0), Discharge("d", 60));

        Assert.Equal(TimelineOutcome.ImpossibleTime, timeline.Insert(Admit("again", 600), PatientId));
        Assert.Equal(TimelineOutcome.Appended, timeline.Insert(Cancel("undo", CancelDischarge, 70), PatientId));
        Assert.Equal(TimelineOutcome.Appended, timeline.Insert(Transfer("t", 80, "RGH-CAR"), PatientId));
        Assert.Equal(PatientStatus.Admitted, timeline.Project(PatientId).Status);
    }

    [Fact]
    public void An_encounter_id_reused_across_a_later_encounter_is_refused()
    {
        var timeline = Timeline(Arrival("a", 0, encounter: "E-1"), Arrival("a2", 100, encounter: "E-2"));

        Assert.Equal(TimelineOutcome.ImpossibleTime, timeline.Insert(Admit("back", 200, encounter: "E-1"), PatientId));
        Assert.Equal(TimelineOutcome.InsertedLate, timeline.Insert(Admit("in-time", 50, encounter: "E-1"), PatientId));
        Assert.Equal(["E-1", "E-2"], timeline.Project(PatientId).Encounters.Select(s => s.EncounterId));
    }

    [Fact]
    public void The_same_event_id_with_other_content_is_a_conflicting_duplicate_and_changes_nothing()
    {
        var timeline = Timeline(Admit("b", 0, "RGH-AMU"));
        var before = Support.Snapshot.Of(timeline.Project(PatientId));

        Assert.Equal(TimelineOutcome.ConflictingDuplicate, timeline.Insert(Admit("b", 30, "RGH-AMU"), PatientId));
        Assert.Equal(TimelineOutcome.ConflictingDuplicate, timeline.Insert(Transfer("b", 0, "RGH-CAR"), PatientId));
        Assert.Equal(TimelineOutcome.Duplicate, timeline.Insert(Admit("b", 0, "RGH-AMU"), PatientId));
        Assert.Equal(before, Support.Snapshot.Of(timeline.Project(PatientId)));
    }
}
