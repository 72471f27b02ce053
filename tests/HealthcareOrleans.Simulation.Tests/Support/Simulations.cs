using HealthcareOrleans.Simulation.Faults;

namespace HealthcareOrleans.Simulation.Tests.Support;

/// <summary>Runs simulations on a jumping clock set far after the simulated period, so nothing waits.</summary>
internal static class Simulations
{
    public static readonly DateTimeOffset Start = new(2025, 1, 6, 0, 0, 0, TimeSpan.Zero);

    public static SimulationOptions Options(int seed = 11) => new() { Seed = seed, Start = Start };

    public static async Task<List<SimulatedMessage>> TakeAsync(SimulationOptions options, int count)
    {
        var simulator = new PatientFlowSimulator(options with { Count = count }, new JumpingClock(Start.AddYears(5)));
        var messages = new List<SimulatedMessage>(count);
        await foreach (var message in simulator.GenerateAsync())
        {
            messages.Add(message);
        }

        return messages;
    }

    /// <summary>Every message released within the first <paramref name="days"/> simulated days.</summary>
    public static async Task<List<SimulatedMessage>> DaysAsync(SimulationOptions options, int days)
    {
        var simulator = new PatientFlowSimulator(options, new JumpingClock(Start.AddYears(5)));
        var end = simulator.ResolveStart().AddDays(days);
        var messages = new List<SimulatedMessage>();
        await foreach (var message in simulator.GenerateAsync())
        {
            if (message.SimulatedAt > end)
            {
                break;
            }

            messages.Add(message);
        }

        return messages;
    }

    public static FaultInjectionOptions EveryFault(double rate) => new()
    {
        DuplicateRate = rate,
        OutOfOrderRate = rate,
        LateRate = rate,
        MalformedJsonRate = rate,
        UnknownWardRate = rate,
        ImpossibleTimeRate = rate,
    };
}
