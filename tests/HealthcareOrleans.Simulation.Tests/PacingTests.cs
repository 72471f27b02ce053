using HealthcareOrleans.Simulation.Tests.Support;

namespace HealthcareOrleans.Simulation.Tests;

public sealed class PacingTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 2, 9, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1)]
    [InlineData(777)]
    [InlineData(5_000)]
    public async Task Count_stops_after_exactly_that_many_messages(int count)
    {
        var messages = await Simulations.TakeAsync(Simulations.Options() with { Faults = Simulations.EveryFault(0.02) }, count);

        Assert.Equal(count, messages.Count);
        Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), messages.Select(m => m.Sequence));
    }

    [Fact]
    public async Task Events_are_never_stamped_later_than_the_clock_once_the_simulation_catches_up()
    {
        var clock = new JumpingClock(Now);
        var options = new SimulationOptions { Seed = 3, Start = Now.AddDays(-2), Count = 1_500 };
        var simulator = new PatientFlowSimulator(options, clock);
        var caughtUp = 0;

        await foreach (var message in simulator.GenerateAsync())
        {
            var now = clock.GetUtcNow();
            Assert.True(message.Event!.OccurredAt <= now, $"{message.Event.EventId} at {message.Event.OccurredAt:O} but the clock says {now:O}");
            if (message.Event.OccurredAt > Now)
            {
                caughtUp++;
            }
        }

        Assert.True(caughtUp > 100, $"only {caughtUp} messages were generated after the simulation caught up with the clock");
    }

    [Fact]
    public async Task The_default_start_is_thirty_days_ago()
    {
        var clock = new JumpingClock(Now);
        var simulator = new PatientFlowSimulator(new SimulationOptions { Count = 10 }, clock);

        Assert.Equal(Now.AddDays(-30), simulator.ResolveStart());
        await foreach (var message in simulator.GenerateAsync())
        {
            Assert.InRange(message.Event!.OccurredAt, Now.AddDays(-30), Now.AddDays(-29));
        }
    }

    [Fact]
    public async Task Rate_limits_the_messages_released_per_second()
    {
        var clock = new JumpingClock(Now);
        var simulator = new PatientFlowSimulator(
            new SimulationOptions { Seed = 3, Start = Now.AddDays(-20), Rate = 100, Count = 501 }, clock);

        var run = await simulator.RunAsync((_, _) => ValueTask.CompletedTask);

        Assert.Equal(501, run.Messages);
        Assert.InRange(run.Elapsed, TimeSpan.FromSeconds(4.99), TimeSpan.FromSeconds(5.1));
    }

    [Fact]
    public async Task Speed_maps_simulated_time_onto_the_clock()
    {
        var clock = new JumpingClock(Now);
        var start = Now.AddDays(-20);
        var simulator = new PatientFlowSimulator(new SimulationOptions { Seed = 3, Start = start, Speed = 3_600, Count = 300 }, clock);

        await foreach (var message in simulator.GenerateAsync())
        {
            // One simulated hour per real second: a message may not appear before its simulated hour has come round.
            var realElapsed = clock.GetUtcNow() - Now;
            var simulatedElapsed = message.SimulatedAt - start;
            Assert.True(realElapsed.TotalSeconds >= (simulatedElapsed.TotalSeconds / 3_600) - 0.002,
                $"released after {realElapsed} real for {simulatedElapsed} simulated");
        }
    }

    [Fact]
    public async Task Cancelling_a_run_returns_what_was_delivered()
    {
        using var cancellation = new CancellationTokenSource();
        var simulator = new PatientFlowSimulator(Simulations.Options(), new JumpingClock(Now));

        var run = await simulator.RunAsync((message, _) =>
        {
            if (message.Sequence == 99)
            {
                cancellation.Cancel();
            }

            return ValueTask.CompletedTask;
        }, cancellation.Token);

        Assert.True(run.Cancelled);
        Assert.Equal(100, run.Messages);
    }
}
