using System.CommandLine;
using System.Runtime.InteropServices;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Streaming.Kafka.Embedded;

namespace HealthcareOrleans.Client.Broker;

/// <summary>
/// <c>hc broker</c>: the embedded Kafka broker (librdkafka's mock cluster) as a process of its own, so several silo
/// processes on one machine (Profile=kafka, Kafka__BootstrapServers) share one log. It keeps messages in memory
/// (about 5 MiB per partition; older messages are dropped) and loses them when it stops.
/// </summary>
public static class BrokerCommand
{
    public static Command Create()
    {
        var topic = new Option<string>("--topic") { Description = "Topic to create (4 partitions)", DefaultValueFactory = _ => PatientFlowStreams.DefaultTopic };
        var command = new Command("broker", "Host an in-memory Kafka broker in the foreground for a local multi-silo cluster (Ctrl-C stops it)") { topic };
        command.SetAction(async (parse, ct) =>
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            // Ctrl-C is handled by System.CommandLine (it cancels ct); SIGTERM (docker stop, kill) is handled here.
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });

            var topicName = parse.GetValue(topic) ?? PatientFlowStreams.DefaultTopic;
            await using var broker = await EmbeddedKafkaBroker.StartAsync([topicName], cancellationToken: ct);
            Console.WriteLine($"bootstrap: {broker.BootstrapServers}");
            Console.WriteLine($"topic: {topicName} ({EmbeddedKafkaBroker.DefaultPartitions} partitions), source id {broker.SourceId}; in memory, about 5 MiB kept per partition. Ctrl-C stops it and drops every message.");
            Console.Out.Flush();
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }

            Console.WriteLine("broker stopped");
            return 0;
        });
        return command;
    }
}
