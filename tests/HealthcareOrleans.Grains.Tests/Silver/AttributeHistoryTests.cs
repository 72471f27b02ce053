using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.Grains.Tests.Support;
using HealthcareOrleans.PatientFlow.Silver;
using static HealthcareOrleans.Grains.Tests.Support.Clean;

namespace HealthcareOrleans.Grains.Tests.Silver;

/// <summary>SCD Type 2 of the tracked attributes, as the patient projection builds it in event time.</summary>
public sealed class AttributeHistoryTests
{
    [Fact]
    public void The_first_statement_opens_version_one()
    {
        var history = Project(Update("u1", 0, Attributes("F", "35-49", "SW1A", "Nhs"))).Attributes;

        Assert.Equal([new PatientAttributeVersion(1, Attributes("F", "35-49", "SW1A", "Nhs"), At(0), null)], history.Versions);
        Assert.True(history.Versions[0].IsCurrent);
        Assert.Equal(Attributes("F", "35-49", "SW1A", "Nhs"), history.Current);
    }

    [Fact]
    public void No_statement_means_no_history()
    {
        var history = Project(Admit("b", 0), Discharge("d", 10)).Attributes;

        Assert.Empty(history.Versions);
        Assert.Null(history.Current);
    }

    [Fact]
    public void Unchanged_statements_add_no_version()
    {
        var history = Project(
            Update("u1", 0, Attributes("F", "35-49", "SW1A", "Nhs")),
            Update("u2", 60, Attributes("F", "35-49", "SW1A", "Nhs")),
            Update("u3", 120, Attributes(payer: "Nhs"))).Attributes;

        Assert.Single(history.Versions);
    }

    [Fact]
    public void A_change_closes_the_current_version_at_the_event_time_and_opens_the_next()
    {
        var history = Project(
            Update("u1", 0, Attributes("F", "35-49", "SW1A", "Nhs")),
            Update("u2", 90, Attributes(region: "EC1A"))).Attributes;

        Assert.Equal(
            [
                new PatientAttributeVersion(1, Attributes("F", "35-49", "SW1A", "Nhs"), At(0), At(90)),
                new PatientAttributeVersion(2, Attributes("F", "35-49", "EC1A", "Nhs"), At(90), null),
            ],
            history.Versions);
        Assert.Equal(history.Versions[1].ValidFrom, history.Versions[0].ValidTo);
        Assert.Single(history.Versions, v => v.IsCurrent);
    }

    [Fact]
    public void Partial_statements_merge_onto_the_current_attributes()
    {
        var history = Project(
            Update("u1", 0, Attributes(gender: "M")),
            Update("u2", 10, Attributes(payer: "Private")),
            Update("u3", 20, Attributes(ageBand: "50-64"))).Attributes;

        Assert.Equal(Attributes("M", "50-64", null, "Private"), history.Current);
        Assert.Equal([1, 2, 3], history.Versions.Select(v => v.Version));
        Assert.Equal(Attributes("M", null, null, "Private"), history.Versions[1].Attributes);
    }

    [Fact]
    public void A_late_demographic_change_splits_the_version_it_falls_into()
    {
        var timeline = Timeline(
            Update("u1", 0, Attributes("F", "35-49", "SW1A", "Nhs")),
            Update("u3", 300, Attributes(region: "EC1A")));

        Assert.Equal(TimelineOutcome.InsertedLate, timeline.Insert(Update("u2", 100, Attributes(payer: "Private")), PatientId));

        Assert.Equal(
            [
                new PatientAttributeVersion(1, Attributes("F", "35-49", "SW1A", "Nhs"), At(0), At(100)),
                new PatientAttributeVersion(2, Attributes("F", "35-49", "SW1A", "Private"), At(100), At(300)),
                new PatientAttributeVersion(3, Attributes("F", "35-49", "EC1A", "Private"), At(300), null),
            ],
            timeline.Project(PatientId).Attributes.Versions);
    }

    [Fact]
    public void A_late_statement_before_the_first_one_back_dates_the_history()
    {
        var timeline = Timeline(Update("u2", 300, Attributes(payer: "Private")));

        timeline.Insert(Update("u1", 0, Attributes("F", "35-49", "SW1A", "Nhs")), PatientId);

        Assert.Equal(
            [
                new PatientAttributeVersion(1, Attributes("F", "35-49", "SW1A", "Nhs"), At(0), At(300)),
                new PatientAttributeVersion(2, Attributes("F", "35-49", "SW1A", "Private"), At(300), null),
            ],
            timeline.Project(PatientId).Attributes.Versions);
    }

    [Fact]
    public void A_late_statement_of_what_was_already_true_changes_no_version()
    {
        var timeline = Timeline(Update("u1", 0, Attributes("F", "35-49", "SW1A", "Nhs")), Update("u3", 300, Attributes(payer: "Private")));
        var before = Snapshot.Of(timeline.Project(PatientId));

        timeline.Insert(Update("u2", 100, Attributes(gender: "F")), PatientId);

        Assert.Equal(before, Snapshot.Of(timeline.Project(PatientId)));
    }

    [Fact]
    public void Statements_at_the_same_instant_make_one_version()
    {
        var history = Project(
            Update("u0", 0, Attributes(gender: "M")),
            Update("u1", 60, Attributes(payer: "Nhs")),
            Update("u2", 60, Attributes(region: "M1"))).Attributes;

        Assert.Equal(
            [
                new PatientAttributeVersion(1, Attributes("M", null, null, null), At(0), At(60)),
                new PatientAttributeVersion(2, Attributes("M", null, "M1", "Nhs"), At(60), null),
            ],
            history.Versions);
    }

    [Fact]
    public void A_same_instant_correction_back_to_the_previous_attributes_leaves_no_empty_version()
    {
        var history = Project(
            Update("u0", 0, Attributes("M", payer: "Nhs")),
            Update("u1", 60, Attributes(payer: "Private")),
            Update("u2", 60, Attributes(payer: "Nhs"))).Attributes;

        Assert.Equal([new PatientAttributeVersion(1, Attributes("M", payer: "Nhs"), At(0), null)], history.Versions);
    }

    [Fact]
    public void Attributes_stated_on_movements_count_like_any_other_statement()
    {
        var history = Project(
            Arrival("a", 0, attributes: Attributes("F", "65-79", "SW1A", "Nhs")),
            Admit("b", 60) with { Attributes = Attributes(payer: "Private") }).Attributes;

        Assert.Equal(2, history.Versions.Count);
        Assert.Equal(At(60), history.Versions[0].ValidTo);
    }

    [Fact]
    public void A_birthday_across_an_age_band_opens_a_new_version()
    {
        var cleansing = new SilverCleansing(new PatientFlow.Hospital.HospitalDirectory(Contracts.Hospital.HospitalLayout.Default));
        var born = new DateOnly(2007, 3, 5);
        CleanEvent Stated(string id, DateTimeOffset at) => cleansing.Cleanse(
            new Contracts.Events.PatientFlowEvent(id, Contracts.Events.PatientFlowEventType.Update, at, "RGH", PatientId, "E-1", null, null, null, null, null,
                new Contracts.Events.PatientDemographics("F", born, null, null, null), 1),
            PatientId, new BrokerPosition(0, 1, 0)).Event!;

        var history = Project(Stated("u1", new DateTimeOffset(2025, 3, 4, 23, 0, 0, TimeSpan.Zero)), Stated("u2", new DateTimeOffset(2025, 3, 5, 9, 0, 0, TimeSpan.Zero))).Attributes;

        Assert.Equal(["0-17", "18-34"], history.Versions.Select(v => v.Attributes.AgeBand));
        Assert.Equal(new DateTimeOffset(2025, 3, 5, 9, 0, 0, TimeSpan.Zero), history.Versions[0].ValidTo);
    }
}
