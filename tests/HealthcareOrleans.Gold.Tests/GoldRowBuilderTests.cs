using HealthcareOrleans.Gold.Tests.Support;
using HealthcareOrleans.PatientFlow.Gold;
using static HealthcareOrleans.Gold.Tests.Support.Journey;

namespace HealthcareOrleans.Gold.Tests;

/// <summary>fact_encounter and fact_ward_stay rows of a hand-written journey.</summary>
public sealed class GoldRowBuilderTests
{
    private static Patient ArrivalAdmitTransferDischarge() => new Patient("P-1").Apply(
        Arrival("a", 0, attributes: Attributes("F", "35-49", "SW1A", "Nhs")),
        Admit("b", 30, "RGH-AMU", "AMU-1"),
        Transfer("c", 150, "RGH-CAR", "CAR-2"),
        Discharge("d", 1470));

    [Fact]
    public void An_encounter_has_its_waiting_time_length_of_stay_and_wards()
    {
        var encounter = Assert.Single(ArrivalAdmitTransferDischarge().Rows.Encounters);

        Assert.Equal("E-1", encounter.EncounterId);
        Assert.Equal(At(0), encounter.ArrivedAt);
        Assert.Equal(At(30), encounter.AdmittedAt);
        Assert.Equal(At(1470), encounter.DischargedAt);
        Assert.Equal(30.0, encounter.WaitingTimeMinutes);
        Assert.Equal(24.0, encounter.LengthOfStayHours);
        Assert.Equal(GoldMovements.Discharged, encounter.Status);
        Assert.Equal(("RGH-ED", "RGH-AMU", "RGH-CAR"), (encounter.ArrivalWardId, encounter.FirstWardId, encounter.LastWardId));
        Assert.Equal(1, encounter.Transfers);
        Assert.False(encounter.DischargedFromEd);
        Assert.Equal("Medicine", encounter.Department);
        Assert.Equal(3, encounter.Acuity);
        Assert.Equal(20250304, encounter.DateKey);
    }

    [Fact]
    public void Each_ward_stay_is_one_row_with_how_it_began_and_ended()
    {
        var stays = ArrivalAdmitTransferDischarge().Rows.Stays;

        Assert.Equal(2, stays.Count);
        var (amu, car) = (stays[0], stays[1]);
        Assert.Equal(("RGH-AMU", "AMU-1", At(30), At(150)), (amu.WardId, amu.BedId, amu.EnteredAt, amu.LeftAt));
        Assert.Equal((2.0, GoldMovements.Admission, GoldMovements.Transfer, false), (amu.LengthOfStayHours, amu.EntryKind, amu.ExitKind, amu.IsOpen));
        Assert.Equal(("RGH-CAR", At(150), At(1470)), (car.WardId, car.EnteredAt, car.LeftAt));
        Assert.Equal((22.0, GoldMovements.Transfer, GoldMovements.Discharge), (car.LengthOfStayHours, car.EntryKind, car.ExitKind));
        Assert.Equal(GoldKeys.StayId("E-1", "RGH-AMU", At(30)), amu.StayId);
    }

    [Fact]
    public void An_open_stay_has_no_end_and_an_unadmitted_encounter_is_waiting()
    {
        var waiting = new Patient("P-2").Apply(Arrival("a", 0));
        var admitted = new Patient("P-3").Apply(Arrival("a", 0), Admit("b", 45, "RGH-AMU"));

        var wait = Assert.Single(waiting.Rows.Encounters);
        Assert.Equal((GoldMovements.Waiting, (double?)null, (double?)null), (wait.Status, wait.WaitingTimeMinutes, wait.LengthOfStayHours));
        Assert.Empty(waiting.Rows.Stays);
        var stay = Assert.Single(admitted.Rows.Stays);
        Assert.Equal((true, (DateTimeOffset?)null, (double?)null, (string?)null), (stay.IsOpen, stay.LeftAt, stay.LengthOfStayHours, stay.ExitKind));
        Assert.Equal(GoldMovements.Admitted, Assert.Single(admitted.Rows.Encounters).Status);
    }

    [Fact]
    public void A_discharge_without_admission_is_flagged_as_from_the_ed()
    {
        var rows = new Patient("P-4").Apply(Arrival("a", 0), Discharge("d", 90)).Rows;

        var encounter = Assert.Single(rows.Encounters);
        Assert.True(encounter.DischargedFromEd);
        Assert.Equal((GoldMovements.Discharged, At(90), (double?)null), (encounter.Status, encounter.DischargedAt, encounter.LengthOfStayHours));
        Assert.Null(encounter.FirstWardId);
    }

    [Fact]
    public void A_new_encounter_before_discharge_supersedes_the_open_one()
    {
        var rows = new Patient("P-5").Apply(
            Admit("a", 0, "RGH-AMU"),
            Arrival("b", 600, encounter: "E-2")).Rows;

        var first = rows.Encounters.Single(e => e.EncounterId == "E-1");
        Assert.Equal((GoldMovements.Superseded, (DateTimeOffset?)null), (first.Status, first.DischargedAt));
        var stay = Assert.Single(rows.Stays);
        Assert.Equal((At(600), GoldMovements.Superseded), (stay.LeftAt, stay.ExitKind));
        Assert.Equal(GoldMovements.Waiting, rows.Encounters.Single(e => e.EncounterId == "E-2").Status);
    }

    [Fact]
    public void A_patient_without_demographics_still_has_one_member_for_the_facts()
    {
        var rows = new Patient("P-6").Apply(Admit("a", 0, "RGH-AMU")).Rows;

        var member = Assert.Single(rows.Versions);
        Assert.Equal((GoldKeys.BeginningOfTime, GoldKeys.OpenEnd, true, (string?)null), (member.ValidFrom, member.ValidTo, member.IsCurrent, member.Gender));
        Assert.Equal(member.PatientSk, Assert.Single(rows.Stays).PatientSk);
    }
}
