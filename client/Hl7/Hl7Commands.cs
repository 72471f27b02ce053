using System.CommandLine;
using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using HealthcareOrleans.Contracts.Hl7;

namespace HealthcareOrleans.Client.Hl7;

/// <summary>
/// <c>hc hl7 send &lt;file|folder&gt;…</c>: sends .hl7 files (one or many messages each, split at MSH segments) over MLLP,
/// one message at a time on one connection, and prints the ACK codes. Exit code 0 when every message got AA,
/// 1 when any did not, 2 when the listener could not be reached or broke off.
/// </summary>
public static class Hl7Commands
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = ".hl7 files or folders (searched recursively, in name order)", Arity = ArgumentArity.OneOrMore };
        var host = new Option<string>("--host") { Description = "MLLP listener host", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "MLLP listener port (Hl7:MllpPort)", DefaultValueFactory = _ => 2575 };
        var tls = new Option<bool>("--tls") { Description = "Connect with TLS (the listener has Hl7:CertificatePath)" };
        var trust = new Option<string?>("--tls-trust") { Description = "A PEM or DER certificate to trust besides the system's roots (a private CA or a self-signed listener)" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for each ACK", DefaultValueFactory = _ => 30 };
        var send = new Command("send", "Send HL7 v2 messages over MLLP and print their ACK codes") { paths, host, port, tls, trust, timeout };
        send.SetAction(async (parse, ct) => await SendAsync(
            parse.GetValue(paths)!, parse.GetValue(host)!, parse.GetValue(port), parse.GetValue(tls), parse.GetValue(trust), TimeSpan.FromSeconds(parse.GetValue(timeout)), ct));
        return new Command("hl7", "HL7 v2 feeds") { send };
    }

    private static async Task<int> SendAsync(string[] paths, string host, int port, bool tls, string? trustPath, TimeSpan timeout, CancellationToken ct)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*.hl7", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                Console.Error.WriteLine($"{path}: no such file or folder");
                return 2;
            }
        }

        using var trusted = trustPath is null ? null : X509CertificateLoader.LoadCertificateFromFile(trustPath);
        MllpClient client;
        try
        {
            client = await MllpClient.ConnectAsync(host, port, tls, trusted, ct);
        }
        catch (Exception ex) when (ex is SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            Console.Error.WriteLine($"cannot reach the MLLP listener at {host}:{port}: {ex.Message}");
            return 2;
        }

        await using (client)
        {
            var codes = new SortedDictionary<string, int>(StringComparer.Ordinal);
            var sent = 0;
            var clock = Stopwatch.StartNew();
            foreach (var file in files)
            {
                var messages = Er7Batch.Split(await File.ReadAllBytesAsync(file, ct), out var problem);
                if (problem is not null)
                {
                    Console.Error.WriteLine($"{file}: {problem} (those segments are not sent)");
                    codes["not sent"] = codes.GetValueOrDefault("not sent") + 1;
                }

                for (var i = 0; i < messages.Count; i++)
                {
                    Hl7Ack ack;
                    try
                    {
                        ack = await client.SendAsync(messages[i], timeout, ct);
                    }
                    catch (Exception ex) when (ex is MllpProtocolException or TimeoutException or IOException or SocketException)
                    {
                        Console.Error.WriteLine($"{file} message {i + 1}: {ex.Message}; {sent} messages were answered before it");
                        Summarise(codes, sent, clock.Elapsed);
                        return 2;
                    }

                    sent++;
                    codes[ack.Code] = codes.GetValueOrDefault(ack.Code) + 1;
                    if (ack.Code != AckCodes.Accept)
                    {
                        Console.WriteLine($"{ack.Code}  {file} message {i + 1} (MSH-10 {ack.AcknowledgedControlId}): {ack.Text}");
                    }
                }
            }

            Summarise(codes, sent, clock.Elapsed);
            return codes.Keys.All(c => c == AckCodes.Accept) ? 0 : 1;
        }
    }

    private static void Summarise(SortedDictionary<string, int> codes, int sent, TimeSpan elapsed)
    {
        var rate = elapsed.TotalSeconds > 0 ? sent / elapsed.TotalSeconds : 0;
        Console.WriteLine($"{sent} messages answered in {elapsed.TotalSeconds:0.0} s ({rate:0} messages/s): "
            + string.Join(", ", codes.Select(c => $"{c.Key} {c.Value}")));
    }
}
