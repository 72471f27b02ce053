using System.Globalization;

namespace HealthcareOrleans.Benchmarks;

/// <summary>
/// <c>eventhubs</c>: over the same events in one invocation, the Kafka path as <c>e2e</c> measures it (embedded broker,
/// the real silo process, every event applied) and the Event Hubs generator path (<see cref="EventHubsGeneratorBenchmark"/>:
/// the same pipeline behind Orleans' Event Hubs provider, in this process, without the warehouse).
/// </summary>
internal static class EventHubsComparisonSuite
{
    public static async Task RunAsync(BenchmarkOptions options)
    {
        var table = Environment.GetEnvironmentVariable("HC_TEST_AZURITE_CONNECTION") is { } azurite && azurite.Contains("TableEndpoint=", StringComparison.OrdinalIgnoreCase)
            ? azurite
            : throw new InvalidOperationException("The Event Hubs path keeps its checkpoints in Azure Table: set HC_TEST_AZURITE_CONNECTION to an Azurite connection string with a TableEndpoint (tests/run.sh shows how Azurite is started).");
        var events = await SimulatedEventSet.GenerateAsync(options.Events, BaselineSuite.ThroughputSeed);
        Console.WriteLine($"Kafka path vs Event Hubs generator path over {events.Describe()}; silo {options.SiloPath}{EndToEndSuite.SiloSettingsText(options)}");
        var figures = new FigureTable($"Kafka e2e vs Event Hubs generator path, whole pipeline, {options.Runs} runs each");
        var baseline = await BaselineSuite.MeasureAsync(events, 1, figures);
        for (var run = 0; run < options.Runs; run++)
        {
            var kafka = await EndToEndBenchmark.RunAsync(options, events, baseline.EventsApplied);
            Console.Error.WriteLine($"kafka e2e run {run + 1}/{options.Runs}: {kafka}");
            if (kafka.Valid)
            {
                figures.Add("kafka e2e: sustained (events/s)", kafka.SustainedEventsPerSecond, "N0");
            }

            var eventHubs = await EventHubsGeneratorBenchmark.RunAsync(events, baseline.EventsApplied, table);
            Console.Error.WriteLine($"eventhubs generator run {run + 1}/{options.Runs}: {eventHubs}");
            figures.Add("eventhubs generator: sustained (events/s)", eventHubs.SustainedEventsPerSecond, "N0");
            figures.Add("eventhubs generator: all applied and in Bronze, from silo start (events/s)", eventHubs.FromStartEventsPerSecond, "N0");
            figures.Add("eventhubs generator: process CPU (cores)", eventHubs.CpuCores, "N2");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {run + 1}: kafka e2e {kafka.SustainedEventsPerSecond:N0} events/s (valid {kafka.Valid}); eventhubs generator {eventHubs.SustainedEventsPerSecond:N0} events/s sustained, all in {eventHubs.Elapsed.TotalSeconds:N1} s"));
        }

        figures.Print();
    }
}
