using HealthcareOrleans.Simulation;
using HealthcareOrleans.Simulation.Faults;

namespace HealthcareOrleans.Pipeline.Tests.Support;

/// <summary>Simulated topic messages for the lake tests, with their fault kinds.</summary>
public static class LakeSimulations
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    public static async Task<List<SimulatedMessage>> GenerateAsync(int count, int seed, FaultInjectionOptions? faults = null)
    {
        var simulator = new PatientFlowSimulator(new SimulationOptions { Seed = seed, Start = Start, Count = count, Faults = faults ?? FaultInjectionOptions.None });
        List<SimulatedMessage> messages = new(count);
        await foreach (var message in simulator.GenerateAsync())
        {
            messages.Add(message);
        }

        return messages;
    }

    public static IEnumerable<(string? Key, byte[] Value)> AsKafka(this IEnumerable<SimulatedMessage> messages) =>
        messages.Select(m => ((string?)m.Key, m.Value));
}
