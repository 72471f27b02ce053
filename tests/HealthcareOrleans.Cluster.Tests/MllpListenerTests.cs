using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using HealthcareOrleans.Cluster.Tests.Support;
using HealthcareOrleans.Contracts.Hl7;
using HealthcareOrleans.LocalCluster;
using HealthcareOrleans.Testing;
using Xunit.Abstractions;

namespace HealthcareOrleans.Cluster.Tests;

/// <summary>
/// HL7 v2 over MLLP against a real silo process on 127.0.0.1, its broker outside the process (Profile=kafka with the
/// test's embedded broker) so that what the broker confirmed outlives the silo.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class MllpListenerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Many_messages_on_one_connection_each_get_the_right_ACK_and_every_HL7_message_answered_is_in_the_broker()
    {
        await using var cluster = await LocalSiloCluster.StartAsync(siloCount: 1, output.WriteLine);
        var feed = new AdtFeed("ack", DateTimeOffset.UtcNow.AddHours(-12));
        var at = DateTimeOffset.UtcNow.AddHours(-1);
        List<(byte[] Message, string Code, string? Reason)> cases = [];
        for (var patient = 0; patient < 50; patient++)
        {
            cases.AddRange(feed.Stay(patient).Select(m => (m, AckCodes.Accept, (string?)null)));
            switch (patient % 10)
            {
                case 1: cases.Add((Broken(feed.Message("A01", 900 + patient, at, "RGH-AMU^^^RGH", null)), AckCodes.Error, "malformed_hl7")); break;
                case 3: cases.Add((feed.Message("A40", patient, at, "RGH-AMU^^^RGH", null), AckCodes.Reject, "unsupported_trigger:A40")); break;
                case 5: cases.Add((feed.Message("A01", 900 + patient, at, "XX-NOPE^^^RGH", null), AckCodes.Error, "unknown_ward:ward_id")); break;
                case 6: cases.Add((feed.Message("R01", patient, at, "RGH-AMU^^^RGH", null, "ORU"), AckCodes.Reject, "unsupported_message_type:ORU")); break;
                case 7: cases.Add(("hello, not HL7"u8.ToArray(), AckCodes.Error, "malformed_hl7")); break;
                case 8: cases.Add(([.. feed.Message("A08", patient, at, "RGH-AMU^^^RGH", null), .. Encoding.UTF8.GetBytes("NTE|1||" + new string('x', 70_000) + "\r")], AckCodes.Error, "oversize")); break;
            }
        }

        await using (var client = await MllpClient.ConnectAsync("127.0.0.1", cluster.Silos[0].MllpPort))
        {
            foreach (var (message, code, reason) in cases)
            {
                var ack = await client.SendAsync(message, AckTimeout);
                Assert.True(code == ack.Code, $"{AdtFeed.ControlIdOf(message)}: expected {code}, got {ack.Code} {ack.Text}");
                Assert.Equal(AdtFeed.ControlIdOf(message) is { Length: > 0 } id ? id : null, ack.AcknowledgedControlId);
                if (reason is not null)
                {
                    Assert.StartsWith(reason, ack.Text, StringComparison.Ordinal);
                }
            }
        }

        // Everything that was an HL7 message (not the oversize frames, not the non-HL7 frames) is in the log once;
        // the accepted ones under their patient's key.
        var log = BrokerLog.ReadAll(cluster.Broker.BootstrapServers, LocalSiloCluster.Topic, LocalSiloCluster.Partitions);
        var kept = cases.Where(c => c.Reason != "oversize" && AdtFeed.ControlIdOf(c.Message).Length > 0).ToList();
        Assert.Equal(kept.Count, log.Count);
        var byControlId = log.ToDictionary(e => AdtFeed.ControlIdOf(e.Value));
        foreach (var (message, code, _) in kept)
        {
            var entry = byControlId[AdtFeed.ControlIdOf(message)];
            Assert.Equal(message, entry.Value);
            if (code == AckCodes.Accept)
            {
                Assert.StartsWith("RGH:MLLP-", entry.Key, StringComparison.Ordinal);
            }
        }

        cluster.Progress($"{cases.Count} messages on one connection: {string.Join(", ", cases.GroupBy(c => c.Code).Select(g => $"{g.Key} {g.Count()}"))}; {log.Count} in the broker");
        await HcSendAsync(cluster);
        await MeasureThroughputAsync(cluster);
    }

    /// <summary><c>hc hl7 send</c> as a user runs it: files of one or many messages, its summary and its exit codes.</summary>
    private async Task HcSendAsync(LocalSiloCluster cluster)
    {
        var port = cluster.Silos[0].MllpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var folder = Directory.CreateDirectory(Path.Combine(cluster.Root, "hl7-files")).FullName;
        var feed = new AdtFeed("hc", DateTimeOffset.UtcNow.AddHours(-12));
        // One file of three stays (LF between segments, a byte-order mark, a batch envelope), one of a single message.
        var many = Enumerable.Range(40_000, 3).SelectMany(feed.Stay).Select(m => Encoding.UTF8.GetString(m).Replace("\r", "\n", StringComparison.Ordinal));
        await File.WriteAllTextAsync(Path.Combine(folder, "a.hl7"), "\uFEFFFHS|^~\\&|PAS\nBHS|^~\\&|PAS\n" + string.Concat(many) + "BTS|12\nFTS|1\n");
        await File.WriteAllBytesAsync(Path.Combine(folder, "b.hl7"), feed.Stay(40_010).First());

        var (accepted, acceptedOut) = await RunHcAsync("hl7", "send", folder, "--port", port);
        Assert.True(accepted == 0, acceptedOut);
        Assert.Contains("13 messages answered", acceptedOut, StringComparison.Ordinal);
        Assert.Contains("AA 13", acceptedOut, StringComparison.Ordinal);

        var (refused, refusedOut) = await RunHcAsync("hl7", "send", Path.Combine(RepositoryBuild.Root, "..", "shared", "data", "hl7v2", "linuxforhealth"), "--port", port);
        Assert.True(refused == 1, refusedOut);
        Assert.Contains("87 messages answered", refusedOut, StringComparison.Ordinal);
        Assert.Contains("AR  ", refusedOut, StringComparison.Ordinal);

        var (unreachable, unreachableOut) = await RunHcAsync("hl7", "send", folder, "--port", LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(unreachable == 2, unreachableOut);
        cluster.Progress($"hc hl7 send: exit 0 for 13 good messages in 2 files, 1 for the LinuxForHealth samples, 2 without a listener");
    }

    private static async Task<(int ExitCode, string Output)> RunHcAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(RepositoryBuild.ClientDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task A_silo_killed_mid_stream_loses_no_message_it_answered_AA_and_a_graceful_stop_answers_every_message_it_took()
    {
        await using var cluster = await LocalSiloCluster.StartAsync(siloCount: 1, output.WriteLine);
        var silo = cluster.Silos[0];
        var feed = new AdtFeed("kill", DateTimeOffset.UtcNow.AddHours(-12));
        var accepted = new ConcurrentBag<string>();

        var killed = 0;
        var run = await StreamAsync(silo.MllpPort, feed, firstPatient: 0, patients: 2_000, connections: 8, accepted, onAnswer: count =>
        {
            if (count == 1_500 && Interlocked.Exchange(ref killed, 1) == 0)
            {
                silo.Process.KillHard();
                cluster.Progress($"kill -9 the silo after {count} ACKs");
            }
        });
        Assert.Equal(1, killed);
        Assert.True(run.Unanswered <= 8, $"{run.Unanswered} messages without an answer on 8 connections");
        cluster.Progress($"before the kill: {accepted.Count} AA; {run.Unanswered} messages in flight got no answer (their senders send them again)");

        silo.Restart();
        await cluster.WaitUntilReadyAsync([silo]);
        await AssertAllInBrokerAndBronzeAsync(cluster, accepted);

        // A graceful stop (SIGTERM) mid-stream: each connection's message in progress is answered before it closes.
        var gracefulAccepted = new ConcurrentBag<string>();
        Task<int>? stopping = null;
        var graceful = await StreamAsync(silo.MllpPort, feed, firstPatient: 10_000, patients: 2_000, connections: 8, gracefulAccepted, onAnswer: count =>
        {
            if (count == 1_500 && stopping is null)
            {
                stopping = silo.Process.TerminateAsync(TimeSpan.FromSeconds(60));
            }
        });
        Assert.Equal(0, await stopping!);
        Assert.True(graceful.Unanswered <= 8, $"{graceful.Unanswered} messages without an answer on 8 connections");
        Assert.DoesNotContain("MLLP stop timed out", File.ReadAllText(silo.Process.LogFile), StringComparison.Ordinal);
        cluster.Progress($"graceful stop: {gracefulAccepted.Count} AA, {graceful.Unanswered} sent after the listener stopped reading");
        silo.Restart();
        await cluster.WaitUntilReadyAsync([silo]);
        await AssertAllInBrokerAndBronzeAsync(cluster, [.. accepted, .. gracefulAccepted]);
    }

    private async Task MeasureThroughputAsync(LocalSiloCluster cluster)
    {
        var feed = new AdtFeed("rate", DateTimeOffset.UtcNow.AddHours(-12));
        var port = cluster.Silos[0].MllpPort;
        var one = Stopwatch.StartNew();
        var single = await StreamAsync(port, feed, firstPatient: 20_000, patients: 500, connections: 1, [], _ => { });
        one.Stop();
        var eight = Stopwatch.StartNew();
        var parallel = await StreamAsync(port, feed, firstPatient: 30_000, patients: 2_000, connections: 8, [], _ => { });
        eight.Stop();
        Assert.Equal((0, 0), (single.Unanswered, parallel.Unanswered));
        cluster.Progress($"MLLP throughput with ACKs: one connection {single.Answered / one.Elapsed.TotalSeconds:0} messages/s ({single.Answered} in {one.Elapsed.TotalSeconds:0.0} s), "
            + $"eight connections {parallel.Answered / eight.Elapsed.TotalSeconds:0} messages/s ({parallel.Answered} in {eight.Elapsed.TotalSeconds:0.0} s)");
    }

    /// <summary>Patients spread over connections (a patient's messages stay on one, in order), each sending and awaiting its ACKs.</summary>
    private static async Task<(int Answered, int Unanswered)> StreamAsync(
        int port, AdtFeed feed, int firstPatient, int patients, int connections, ConcurrentBag<string> accepted, Action<int> onAnswer)
    {
        var answered = 0;
        var unanswered = 0;
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async c =>
        {
            await using var client = await MllpClient.ConnectAsync("127.0.0.1", port);
            foreach (var message in Enumerable.Range(firstPatient, patients).Where(p => p % connections == c).SelectMany(feed.Stay))
            {
                Hl7Ack ack;
                try
                {
                    ack = await client.SendAsync(message, AckTimeout);
                }
                catch (Exception ex) when (ex is MllpProtocolException or IOException or SocketException)
                {
                    Interlocked.Increment(ref unanswered);
                    return;
                }

                Assert.Equal(AckCodes.Accept, ack.Code);
                accepted.Add(ack.AcknowledgedControlId!);
                onAnswer(Interlocked.Increment(ref answered));
            }
        }));
        return (answered, unanswered);
    }

    private static async Task AssertAllInBrokerAndBronzeAsync(LocalSiloCluster cluster, IReadOnlyCollection<string> accepted)
    {
        var log = BrokerLog.ReadAll(cluster.Broker.BootstrapServers, LocalSiloCluster.Topic, LocalSiloCluster.Partitions);
        var positions = log.GroupBy(e => AdtFeed.ControlIdOf(e.Value)).ToDictionary(g => g.Key, g => g.Select(e => (e.Partition, e.Offset)).ToList());
        var missing = accepted.Where(id => !positions.ContainsKey(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {accepted.Count} messages answered AA are not in the broker, e.g. {string.Join(", ", missing.Take(5))}");

        HashSet<(int, long)> bronze = [];
        await Eventually.TrueAsync(async () =>
        {
            bronze = [.. await cluster.BronzeOffsetsAsync()];
            return accepted.All(id => positions[id].Any(bronze.Contains));
        }, TimeSpan.FromSeconds(90), () => Task.FromResult($"{accepted.Count(id => !positions[id].Any(bronze.Contains))} AA'd messages not in Bronze"));
        cluster.Progress($"all {accepted.Count} messages answered AA are in the broker and in Bronze");
    }

    /// <summary>An unterminated escape sequence in PID-5: the message is not readable ER7.</summary>
    private static byte[] Broken(byte[] message) =>
        Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(message).Replace("DOE^JANE", "DOE\\F^JANE", StringComparison.Ordinal));
}
