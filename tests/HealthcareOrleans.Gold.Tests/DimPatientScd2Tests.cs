using HealthcareOrleans.Gold.Tests.Support;
using HealthcareOrleans.PatientFlow.Gold;
using static HealthcareOrleans.Gold.Tests.Support.Journey;

namespace HealthcareOrleans.Gold.Tests;

/// <summary>dim_patient as SCD Type 2 in event time, and the version a fact points at.</summary>
public sealed class DimPatientScd2Tests
{
    private static Patient Before() => new Patient("P-1").Apply(
        Update("u1", 0, Attributes("F", "35-49", "SW1A", "Nhs")),
        Admit("a", 60, "RGH-AMU"),
        Transfer("t", 200, "RGH-CAR"),
        Update("u3", 300, Attributes(region: "EC1A")));

    [Fact]
    public void A_late_demographic_change_back_dates_into_the_version_it_falls_in()
    {
        var patient = Before();
        patient.Apply(Update("u2", 120, Attributes(payer: "Private")));

        var versions = patient.Rows.Versions;
        Assert.Equal(
            [(1, At(0), At(120), false, "Nhs", "SW1A"), (2, At(120), At(300), false, "Private", "SW1A"), (3, At(300), GoldKeys.OpenEnd, true, "Private", "EC1A")],
            versions.Select(v => (v.Version, v.ValidFrom, v.ValidTo, v.IsCurrent, v.Payer, v.PostalRegion)));
        Assert.Single(versions, v => v.IsCurrent);
        Assert.All(versions, v => Assert.Equal(GoldKeys.PatientDurable("P-1"), v.PatientDk));
    }

    [Fact]
    public void Surrogate_keys_survive_a_late_change_and_a_rebuild()
    {
        var before = Before().Rows.Versions.ToDictionary(v => v.ValidFrom, v => v.PatientSk);
        var after = Before().Apply(Update("u2", 120, Attributes(payer: "Private"))).Rows.Versions;
        var rebuilt = new Patient("P-1").Apply(
            Update("u2", 120, Attributes(payer: "Private")),
            Update("u3", 300, Attributes(region: "EC1A")),
            Transfer("t", 200, "RGH-CAR"),
            Admit("a", 60, "RGH-AMU"),
            Update("u1", 0, Attributes("F", "35-49", "SW1A", "Nhs"))).Rows.Versions;

        Assert.Equal(before[At(0)], after.Single(v => v.ValidFrom == At(0)).PatientSk);
        Assert.Equal(before[At(300)], after.Single(v => v.ValidFrom == At(300)).PatientSk);
        Assert.Equal(3, after.Select(v => v.PatientSk).Distinct().Count());
        Assert.Equal(after, rebuilt);
    }

    [Fact]
    public void A_stay_points_at_the_version_valid_when_the_patient_entered()
    {
        var rows = Before().Apply(Update("u2", 120, Attributes(payer: "Private"))).Rows;
        var key = rows.Versions.ToDictionary(v => v.ValidFrom, v => v.PatientSk);

        Assert.Equal(key[At(0)], rows.Stays.Single(s => s.WardId == "RGH-AMU").PatientSk);
        Assert.Equal(key[At(120)], rows.Stays.Single(s => s.WardId == "RGH-CAR").PatientSk);
        Assert.Equal(key[At(0)], Assert.Single(rows.Encounters).PatientSk);
    }
}
