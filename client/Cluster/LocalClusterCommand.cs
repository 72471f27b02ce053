using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Streaming.Kafka.Embedded;

namespace HealthcareOrleans.Client.Cluster;

/// <summary>
/// <c>hc cluster</c>: a real multi-silo cluster on this machine in one command — redis-server (membership, grain state,
/// reminders, stream checkpoints), the embedded broker and N silo processes (Profile=kafka) sharing one lake folder.
/// Silo i listens on gateway 30000+i (so <c>hc</c> finds silo 0 by default) and HTTP 8080+i. Ctrl-C or SIGTERM stops
/// the silos gracefully (each hands its partitions over), then the broker and Redis.
/// </summary>
public static class LocalClusterCommand
{
    public static Command Create()
    {
        var silos = new Option<int>("--silos") { Description = "Silo processes to start", DefaultValueFactory = _ => 3 };
        var data = new Option<string>("--data") { Description = "Folder for the lake, logs and each silo's data", DefaultValueFactory = _ => Path.Combine("data", "cluster") };
        var redis = new Option<string?>("--redis") { Description = "Use this Redis (connection string) instead of starting redis-server" };
        var simulate = new Option<bool>("--simulate") { Description = "Silo 0 also runs the hospital simulator" };
        var command = new Command("cluster", "Run redis-server, the embedded broker and N silos on 127.0.0.1 in the foreground (Ctrl-C stops them)") { silos, data, redis, simulate };
        command.SetAction(async (parse, ct) =>
        {
            var count = parse.GetValue(silos);
            if (count is < 1 or > 9)
            {
                Console.Error.WriteLine("--silos must be between 1 and 9");
                return 2;
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
            return await RunAsync(count, Path.GetFullPath(parse.GetValue(data)!), parse.GetValue(redis), parse.GetValue(simulate), stop.Token);
        });
        return command;
    }

    private static async Task<int> RunAsync(int siloCount, string dataDirectory, string? redisConnection, bool simulate, CancellationToken stopping)
    {
        var siloDll = FindSiloDll();
        Directory.CreateDirectory(dataDirectory);
        var processes = new List<(string Name, Process Process)>();
        Process? redisServer = null;
        try
        {
            if (string.IsNullOrWhiteSpace(redisConnection))
            {
                var port = FreePort();
                redisServer = StartLogged("redis", new ProcessStartInfo("redis-server")
                {
                    ArgumentList = { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", dataDirectory, "--appendonly", "yes" },
                }, dataDirectory);
                redisConnection = $"127.0.0.1:{port}";
                await WaitForPortAsync(port, TimeSpan.FromSeconds(20), stopping);
            }

            await using var broker = await EmbeddedKafkaBroker.StartAsync([PatientFlowStreams.DefaultTopic], cancellationToken: stopping);
            // Kept across runs: the same key keeps working for callers, the same pseudonyms keep telemetry comparable.
            var apiKey = await SecretAsync(Path.Combine(dataDirectory, "api-key"), stopping);
            var pseudonymKey = await SecretAsync(Path.Combine(dataDirectory, "pseudonym-key"), stopping);
            Console.WriteLine($"redis {redisConnection}; broker {broker.BootstrapServers} (in memory: stopping it drops the log)");
            for (var i = 0; i < siloCount; i++)
            {
                var name = $"silo-{i}";
                // From its build folder, so the silo finds its appsettings.json (log levels keep Orleans' per-grain chatter out).
                var start = new ProcessStartInfo("dotnet")
                {
                    ArgumentList = { siloDll, "--urls", $"http://127.0.0.1:{8080 + i}" },
                    WorkingDirectory = Path.GetDirectoryName(siloDll)!,
                };
                var env = start.Environment;
                env["Profile"] = "kafka";
                env["Kafka__BootstrapServers"] = broker.BootstrapServers;
                env["Kafka__SourceId"] = broker.SourceId;
                env["Redis__ConnectionString"] = redisConnection;
                env["Lake__Root"] = Path.Combine(dataDirectory, "lake");
                env["HC_DATA_DIR"] = Path.Combine(dataDirectory, name);
                env["HC_API_KEY"] = apiKey;
                env["Security__PseudonymKey"] = pseudonymKey;
                env["Orleans__SiloPort"] = (11111 + i).ToString(CultureInfo.InvariantCulture);
                env["Orleans__GatewayPort"] = (30000 + i).ToString(CultureInfo.InvariantCulture);
                env["Orleans__AdvertisedIPAddress"] = "127.0.0.1";
                env["Orleans__SiloName"] = name;
                env["Simulator__Enabled"] = simulate && i == 0 ? "true" : "false";
                // One warehouse loader is enough: silo 0 keeps the DuckDB file in the cluster folder.
                env["Warehouse__Kind"] = i == 0 ? "DuckDb" : "None";
                env["Warehouse__DuckDbPath"] = Path.Combine(dataDirectory, "warehouse.duckdb");
                processes.Add((name, StartLogged(name, start, dataDirectory)));
                Console.WriteLine($"{name}: gateway 127.0.0.1:{30000 + i}, dashboard http://127.0.0.1:{8080 + i}/, log {Path.Combine(dataDirectory, name + ".log")}");
            }

            Console.WriteLine($"API key (header X-Api-Key): {apiKey}  (kept in {Path.Combine(dataDirectory, "api-key")})");
            Console.WriteLine("Try: dotnet run --project client -- simulate --rate 200   |   hc status   |   hc census. Ctrl-C stops the cluster.");
            while (!stopping.IsCancellationRequested)
            {
                if (processes.FirstOrDefault(p => p.Process.HasExited) is { Process: not null } exited)
                {
                    Console.Error.WriteLine($"{exited.Name} exited with {exited.Process.ExitCode}; see its log. Stopping the cluster.");
                    break;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            return 0;
        }
        finally
        {
            // Gracefully, newest first: each silo flushes Bronze and hands its partitions to those still running.
            foreach (var (name, process) in Enumerable.Reverse(processes))
            {
                await TerminateAsync(name, process);
            }

            if (redisServer is not null)
            {
                await TerminateAsync("redis", redisServer);
            }
        }
    }

    private static async Task<string> SecretAsync(string path, CancellationToken cancellationToken)
    {
        if (File.Exists(path) && (await File.ReadAllTextAsync(path, cancellationToken)).Trim() is { Length: >= 32 } existing)
        {
            return existing;
        }

        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await File.WriteAllTextAsync(path, secret, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return secret;
    }

    private static Process StartLogged(string name, ProcessStartInfo start, string dataDirectory)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var log = new StreamWriter(Path.Combine(dataDirectory, name + ".log"), append: true) { AutoFlush = true };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Exited += (_, _) => { lock (log) { log.Dispose(); } };
        if (!process.Start())
        {
            throw new InvalidOperationException($"{start.FileName} did not start");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private static async Task TerminateAsync(string name, Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        Console.WriteLine($"stopping {name} …");
        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", process.Id.ToString(CultureInfo.InvariantCulture) } })!)
        {
            await kill.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"{name} did not stop within 60 s; killing it");
            process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>The silo's build output next to this client's (same configuration), from the repository's folders.</summary>
    private static string FindSiloDll()
    {
        var baseDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = baseDirectory.Parent!.Name;
        for (var dir = baseDirectory; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HealthcareOrleans.sln")))
            {
                var dll = Path.Combine(dir.FullName, "silo", "bin", configuration, "net10.0", "HealthcareOrleans.Silo.dll");
                return File.Exists(dll)
                    ? dll
                    : throw new InvalidOperationException($"The silo is not built: run `dotnet build -c {configuration} silo` first ({dll} is missing).");
            }
        }

        throw new InvalidOperationException("hc cluster runs from the repository (it starts the silo from its build output); HealthcareOrleans.sln was not found above " + baseDirectory.FullName);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < timeout)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }
}
