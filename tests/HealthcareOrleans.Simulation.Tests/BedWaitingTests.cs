using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Simulation.Tests.Support;

namespace HealthcareOrleans.Simulation.Tests;

public sealed class BedWaitingTests
{
    private static readonly HospitalLayout SmallHospital = new(
    [
        new HospitalDefinition("SMH", "Small Hospital",
        [
            new WardDefinition("SMH-ED", "Emergency", "Emergency", 4),
            new WardDefinition("SMH-MED", "Medical Ward", "Medicine", 3),
        ]),
    ]);

    [Fact]
    public async Task Patients_wait_for_a_bed_when_the_wards_are_full()
    {
        var crowded = Simulations.Options() with { Layout = SmallHospital, DailyArrivalsPer100Beds = 400 };
        var calm = Simulations.Options() with { Layout = SmallHospital, DailyArrivalsPer100Beds = 15 };

        var crowdedReplay = Replay(await Simulations.DaysAsync(crowded, 60));
        var calmReplay = Replay(await Simulations.DaysAsync(calm, 60));

        Assert.Empty(crowdedReplay.Violations);
        Assert.Equal(3, crowdedReplay.PeakOccupancy("SMH-MED"));
        var crowdedMedian = Median(crowdedReplay.Waits.Select(w => w.Wait));
        var calmMedian = Median(calmReplay.Waits.Select(w => w.Wait));
        Assert.True(crowdedMedian > TimeSpan.FromHours(12), $"median wait in a full hospital is only {crowdedMedian}");
        Assert.True(calmMedian < TimeSpan.FromHours(6), $"median wait in an empty hospital is {calmMedian}");
    }

    [Fact]
    public async Task Sicker_patients_get_beds_sooner()
    {
        // Busy but stable: queues form and clear, so who is served first shows in the waits.
        var busy = Simulations.Options() with { Layout = SmallHospital, DailyArrivalsPer100Beds = 30 };

        var waits = Replay(await Simulations.DaysAsync(busy, 730)).Waits;

        var urgent = Median(waits.Where(w => w.Acuity is 1 or 2).Select(w => w.Wait));
        var minor = Median(waits.Where(w => w.Acuity is 3 or 4 or 5).Select(w => w.Wait));
        Assert.True(urgent < minor, $"acuity 1–2 waited {urgent}, acuity 3–5 {minor}");
    }

    private static HospitalReplay Replay(List<SimulatedMessage> messages) => new(SmallHospital, messages.Select(m => m.Event!));

    private static TimeSpan Median(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        Assert.NotEmpty(sorted);
        return sorted[sorted.Count / 2];
    }
}
