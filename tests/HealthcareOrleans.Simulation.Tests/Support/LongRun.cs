using HealthcareOrleans.Contracts.Events;

namespace HealthcareOrleans.Simulation.Tests.Support;

/// <summary>Half a year of the default hospitals without faults, simulated once and shared by the statistical tests.</summary>
public sealed class LongRun
{
    public const int Days = 180;

    public LongRun()
    {
        Messages = Simulations.DaysAsync(Simulations.Options(seed: 2024), Days).GetAwaiter().GetResult();
        Events = Messages.Select(m => m.Event!).ToList();
    }

    internal List<SimulatedMessage> Messages { get; }

    internal List<PatientFlowEvent> Events { get; }
}

[CollectionDefinition(Name)]
public sealed class LongRunCollection : ICollectionFixture<LongRun>
{
    public const string Name = "long run";
}
