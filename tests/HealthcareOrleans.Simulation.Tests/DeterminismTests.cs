using HealthcareOrleans.Simulation.Tests.Support;

namespace HealthcareOrleans.Simulation.Tests;

public sealed class DeterminismTests
{
    [Fact]
    public async Task The_same_seed_and_options_give_identical_bytes()
    {
        var options = Simulations.Options(seed: 5) with { Faults = Simulations.EveryFault(0.02) };

        var first = await Simulations.TakeAsync(options, 3_000);
        var second = await Simulations.TakeAsync(options, 3_000);

        Assert.Equal(first.Count, second.Count);
        for (var i = 0; i < first.Count; i++)
        {
            Assert.Equal(first[i].Key, second[i].Key);
            Assert.Equal(first[i].Value, second[i].Value);
            Assert.Equal(first[i].Fault, second[i].Fault);
        }
    }

    [Fact]
    public async Task A_different_seed_gives_a_different_stream()
    {
        var first = await Simulations.TakeAsync(Simulations.Options(seed: 5), 500);
        var second = await Simulations.TakeAsync(Simulations.Options(seed: 6), 500);

        var differing = first.Zip(second).Count(pair => !pair.First.Value.AsSpan().SequenceEqual(pair.Second.Value));
        Assert.True(differing > 450, $"only {differing} of 500 messages differ");
    }

    [Fact]
    public async Task Event_ids_are_unique_within_a_run()
    {
        var messages = await Simulations.TakeAsync(Simulations.Options(), 5_000);

        var ids = messages.Select(m => m.Event!.EventId).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Turning_faults_on_does_not_change_the_hospital()
    {
        var clean = await Simulations.DaysAsync(Simulations.Options(), 10);
        var faulty = await Simulations.DaysAsync(Simulations.Options() with { Faults = Simulations.EveryFault(0.03) }, 12);

        // The genuine events (unmarked, moved out of order or late) are the clean run's events, whatever faults were added.
        var genuine = faulty
            .Where(m => m.Fault is null or Faults.FaultKind.OutOfOrder or Faults.FaultKind.Late)
            .Select(m => m.Event!)
            .Where(e => e.OccurredAt <= clean[^1].Event!.OccurredAt)
            .Select(e => e.EventId)
            .Order(StringComparer.Ordinal);
        Assert.Equal(clean.Select(m => m.Event!.EventId).Order(StringComparer.Ordinal), genuine);
    }
}
