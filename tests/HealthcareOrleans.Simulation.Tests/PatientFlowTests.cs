using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Simulation.Model;
using HealthcareOrleans.Simulation.Tests.Support;

namespace HealthcareOrleans.Simulation.Tests;

[Collection(LongRunCollection.Name)]
public sealed class PatientFlowTests(LongRun run)
{
    [Fact]
    public void Encounters_follow_arrival_admit_transfer_discharge_and_beds_are_never_shared_or_overfilled()
    {
        var replay = new HospitalReplay(HospitalLayout.Default, run.Events);

        Assert.Empty(replay.Violations.Take(20));
        // The check has teeth only if wards really fill up.
        Assert.Contains(HospitalLayout.Default.Wards, w => replay.PeakOccupancy(w.WardId) == w.Beds);
    }

    [Fact]
    public void All_event_types_occur_including_discharges_straight_from_the_emergency_department()
    {
        var types = run.Events.Select(e => e.EventType).ToHashSet();
        Assert.Superset(types, new HashSet<PatientFlowEventType>
        {
            PatientFlowEventType.Arrival, PatientFlowEventType.Admit, PatientFlowEventType.Transfer,
            PatientFlowEventType.Discharge, PatientFlowEventType.Update,
        });

        var admitted = run.Events.Where(e => e.EventType == PatientFlowEventType.Admit).Select(e => e.EncounterId).ToHashSet();
        var edOnly = run.Events.Count(e => e.EventType == PatientFlowEventType.Discharge && !admitted.Contains(e.EncounterId));
        var arrivals = run.Events.Count(e => e.EventType == PatientFlowEventType.Arrival);
        Assert.InRange(edOnly / (double)arrivals, 0.4, 0.8);
    }

    [Fact]
    public void Triage_acuity_follows_the_configured_mix()
    {
        var acuities = run.Events.Where(e => e.EventType == PatientFlowEventType.Arrival && e.Acuity is not null).Select(e => e.Acuity!.Value).ToList();
        for (var acuity = 1; acuity <= 5; acuity++)
        {
            var share = acuities.Count(a => a == acuity) / (double)acuities.Count;
            var expected = TriageMix.Default.ShareOf(acuity);
            Assert.InRange(share, expected * 0.8 - 0.005, expected * 1.2 + 0.005);
        }
    }

    [Fact]
    public void Patients_keep_their_identity_across_encounters_and_some_return()
    {
        var arrivals = run.Events.Where(e => e.EventType == PatientFlowEventType.Arrival).ToList();
        var byPatient = arrivals.GroupBy(e => e.PatientId).ToList();

        Assert.Contains(byPatient, g => g.Count() >= 2);
        Assert.All(byPatient, g =>
        {
            Assert.Single(g.Select(e => (e.Patient!.Gender, e.Patient.BirthDate)).Distinct());
            Assert.Single(g.Select(e => e.HospitalId).Distinct());
        });
    }

    [Fact]
    public void Updates_change_payer_or_postal_code_or_age_during_a_stay()
    {
        var latest = new Dictionary<string, PatientDemographics>();
        var changed = 0;
        foreach (var evt in run.Events.Where(e => e.Patient is not null))
        {
            if (evt.EventType == PatientFlowEventType.Update && latest.TryGetValue(evt.PatientId, out var before))
            {
                Assert.True(before.Payer != evt.Patient!.Payer || before.PostalCode != evt.Patient.PostalCode || before.Age != evt.Patient.Age,
                    $"{evt.EventId} changes nothing");
                changed++;
            }

            latest[evt.PatientId] = evt.Patient!;
        }

        Assert.True(changed > 50, $"only {changed} demographic updates");
    }

    [Fact]
    public void Arrivals_are_more_frequent_at_midday_than_at_four_in_the_morning()
    {
        var arrivalHours = run.Events.Where(e => e.EventType == PatientFlowEventType.Arrival).Select(e => e.OccurredAt.UtcDateTime.Hour).ToList();
        var lateMorning = arrivalHours.Count(h => h == 11);
        var night = arrivalHours.Count(h => h == 4);

        Assert.True(lateMorning > 3 * night, $"11:00–12:00 had {lateMorning} arrivals, 04:00–05:00 had {night}");
    }

    [Fact]
    public void Median_stays_per_department_are_near_the_configured_medians()
    {
        var replay = new HospitalReplay(HospitalLayout.Default, run.Events);
        var model = new LengthOfStayModel(null, 0.7);
        var checkedDepartments = 0;
        foreach (var department in replay.Stays.GroupBy(s => s.Department).Where(g => g.Count() >= 100))
        {
            var stays = department.Select(s => s.Stay.TotalDays).Order().ToList();
            var median = stays[stays.Count / 2];
            var configured = model.MedianFor(department.Key).TotalDays;
            // Loose: a stay ends only when the next ward has a bed, which stretches the stays before a transfer.
            Assert.InRange(median, configured * 0.8, configured * 1.3);
            checkedDepartments++;
        }

        Assert.True(checkedDepartments >= 6, $"only {checkedDepartments} departments had enough stays");
    }
}
