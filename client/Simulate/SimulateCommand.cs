using System.CommandLine;
using System.Globalization;
using HealthcareOrleans.Client.Connection;
using HealthcareOrleans.Client.Output;
using HealthcareOrleans.Contracts.Engine;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Simulation;
using HealthcareOrleans.Simulation.Faults;
using HealthcareOrleans.Simulation.Kafka;
using HealthcareOrleans.Streaming.Kafka.Options;
using Spectre.Console;

namespace HealthcareOrleans.Client.Simulate;

/// <summary><c>hc simulate</c>: a simulated hospital publishing patient flow to a Kafka topic.</summary>
public static class SimulateCommand
{
    public static Command Create()
    {
        var bootstrap = new Option<string?>("--bootstrap") { Description = "Kafka bootstrap servers (default: the broker the running silo reports)" };
        var eventHubs = new Option<string?>("--event-hubs") { Description = "Publish to Azure Event Hubs' Kafka endpoint with this connection string" };
        var topic = new Option<string>("--topic") { Description = "Topic", DefaultValueFactory = _ => PatientFlowStreams.DefaultTopic };
        var rate = new Option<double>("--rate") { Description = "Most messages per second (0: unlimited)" };
        var count = new Option<long>("--count") { Description = "Stop after this many messages (0: until Ctrl-C)" };
        var speed = new Option<double>("--speed") { Description = "Simulated seconds per real second (0: as fast as possible, never past now)", DefaultValueFactory = _ => 0 };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives the same messages", DefaultValueFactory = _ => 1 };
        var start = new Option<DateTimeOffset?>("--start") { Description = "Simulated start time (default: 30 days ago)" };
        var format = new Option<SimulationFormat>("--format") { Description = "Adt (the event contract) or FlatAdmission (the classic flat record)", DefaultValueFactory = _ => SimulationFormat.Adt };
        var layout = new Option<FileInfo?>("--layout") { Description = "Hospital layout JSON (default: the built-in two hospitals)" };
        var duplicates = new Option<double>("--duplicate-rate") { Description = "Probability per event of sending it twice" };
        var outOfOrder = new Option<double>("--out-of-order-rate") { Description = "Probability per event of overtaking the patient's next event" };
        var late = new Option<double>("--late-rate") { Description = "Probability per event of arriving minutes late" };
        var malformed = new Option<double>("--malformed-rate") { Description = "Probability per event of garbled JSON" };
        var unknownWard = new Option<double>("--unknown-ward-rate") { Description = "Probability per event of naming a ward not in the layout" };
        var impossibleTime = new Option<double>("--impossible-time-rate") { Description = "Probability per event of an impossible time" };

        var command = new Command("simulate", "Publish realistic patient flow to Kafka (the embedded broker by default)")
        {
            bootstrap, eventHubs, topic, rate, count, speed, seed, start, format, layout, duplicates, outOfOrder, late, malformed, unknownWard, impossibleTime,
        };
        command.SetAction(async (parse, ct) =>
        {
            var simulation = new SimulationOptions
            {
                Layout = parse.GetValue(layout) is { } file ? HospitalLayout.LoadFile(file.FullName) : HospitalLayout.Default,
                Seed = parse.GetValue(seed),
                Start = parse.GetValue(start),
                Speed = parse.GetValue(speed),
                Rate = parse.GetValue(rate),
                Count = parse.GetValue(count),
                Format = parse.GetValue(format),
                Faults = new FaultInjectionOptions
                {
                    DuplicateRate = parse.GetValue(duplicates),
                    OutOfOrderRate = parse.GetValue(outOfOrder),
                    LateRate = parse.GetValue(late),
                    MalformedJsonRate = parse.GetValue(malformed),
                    UnknownWardRate = parse.GetValue(unknownWard),
                    ImpossibleTimeRate = parse.GetValue(impossibleTime),
                },
            };
            if (simulation.Validate() is { Count: > 0 } problems)
            {
                Console.Error.WriteLine(string.Join(Environment.NewLine, problems));
                return 2;
            }

            var publisher = await PublisherOptionsAsync(parse, parse.GetValue(bootstrap), parse.GetValue(eventHubs), parse.GetValue(topic)!, ct);
            if (publisher.Validate() is { Count: > 0 } publisherProblems)
            {
                Console.Error.WriteLine(string.Join(Environment.NewLine, publisherProblems));
                return 2;
            }

            var json = parse.GetValue(GlobalOptions.Json);
            if (!json)
            {
                Console.Error.WriteLine($"Publishing to {publisher.BootstrapServers} topic {publisher.Topic}; Ctrl-C stops.");
            }

            using var kafka = new KafkaPatientFlowPublisher(publisher);
            var run = await kafka.PublishAsync(new PatientFlowSimulator(simulation), ct);
            if (json)
            {
                CliOutput.WriteJson(Console.Out, new { run.Messages, run.MessagesPerSecond, ElapsedSeconds = run.Elapsed.TotalSeconds, run.EventsByType, run.SimulatedUntil, run.Cancelled });
                return 0;
            }

            AnsiConsole.MarkupLine($"Published [bold]{run.Messages:N0}[/] messages in {run.Elapsed.TotalSeconds:N1} s ({run.MessagesPerSecond:N0}/s); simulated clock reached {CliOutput.Time(run.SimulatedUntil)} UTC");
            foreach (var (type, n) in run.EventsByType.Where(e => e.Value > 0))
            {
                AnsiConsole.MarkupLine($"  {type,-16} {n.ToString("N0", CultureInfo.InvariantCulture),10}");
            }

            return 0;
        });
        return command;
    }

    /// <summary>Without --bootstrap, asks the running silo which broker it reads: the embedded one has a new port each start.</summary>
    private static async Task<KafkaPublisherOptions> PublisherOptionsAsync(ParseResult parse, string? bootstrap, string? eventHubs, string topic, CancellationToken ct)
    {
        if (eventHubs is not null)
        {
            var endpoint = EventHubsKafkaEndpoint.Parse(eventHubs);
            return new KafkaPublisherOptions
            {
                BootstrapServers = endpoint.BootstrapServers,
                Topic = endpoint.EventHub ?? topic,
                ExtraConfig = endpoint.ClientSettings,
            };
        }

        if (string.IsNullOrWhiteSpace(bootstrap))
        {
            await using var connection = await GlobalOptions.ConnectAsync(parse, ct);
            var status = await connection.Client.GetGrain<IEngineStatusGrain>(0).GetAsync();
            bootstrap = status.Silos.Select(s => s.BrokerAddress).FirstOrDefault(a => !string.IsNullOrEmpty(a))
                ?? throw new ClusterUnavailableException("The silo has not reported its broker yet; wait a few seconds or pass --bootstrap host:port.");
        }

        return new KafkaPublisherOptions { BootstrapServers = bootstrap, Topic = topic };
    }
}
