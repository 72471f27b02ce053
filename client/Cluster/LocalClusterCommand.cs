using System.CommandLine;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.LocalCluster;
using HealthcareOrleans.Streaming.Kafka.Embedded;

namespace HealthcareOrleans.Client.Cluster;

/// <summary>
/// <c>hc cluster</c>: a real multi-silo cluster on this machine in one command — redis-server (membership, grain state,
/// stream checkpoints), the embedded broker and N silo processes (Profile=kafka) sharing one lake folder.
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
        var siloDll = RepositoryBuild.SiloDll;
        Directory.CreateDirectory(dataDirectory);
        var silos = new List<ChildProcess>();
        RedisServer? redisServer = null;
        try
        {
            if (string.IsNullOrWhiteSpace(redisConnection))
            {
                redisServer = await RedisServer.StartAsync(dataDirectory, persistent: true, appendLog: true, stopping);
                redisConnection = redisServer.ConnectionString;
            }

            await using var broker = await EmbeddedKafkaBroker.StartAsync([PatientFlowStreams.DefaultTopic], cancellationToken: stopping);
            // Kept across runs: the same key keeps working for callers, the same pseudonyms keep telemetry comparable.
            var apiKey = await SecretAsync(Path.Combine(dataDirectory, "api-key"), stopping);
            var pseudonymKey = await SecretAsync(Path.Combine(dataDirectory, "pseudonym-key"), stopping);
            Console.WriteLine($"redis {redisConnection}; broker {broker.BootstrapServers} (in memory: stopping it drops the log)");
            for (var i = 0; i < siloCount; i++)
            {
                var name = $"silo-{i}";
                var silo = new SiloLaunch
                {
                    SiloDll = siloDll,
                    Name = name,
                    HttpPort = 8080 + i,
                    SiloPort = 11111 + i,
                    GatewayPort = 30000 + i,
                    BootstrapServers = broker.BootstrapServers,
                    SourceId = broker.SourceId,
                    RedisConnectionString = redisConnection,
                    LakeRoot = Path.Combine(dataDirectory, "lake"),
                    DataDirectory = Path.Combine(dataDirectory, name),
                    ApiKey = apiKey,
                    PseudonymKey = pseudonymKey,
                    Settings = new Dictionary<string, string>
                    {
                        ["Simulator__Enabled"] = simulate && i == 0 ? "true" : "false",
                        // One warehouse loader is enough: silo 0 keeps the DuckDB file in the cluster folder.
                        ["Warehouse__Kind"] = i == 0 ? "DuckDb" : "None",
                        ["Warehouse__DuckDbPath"] = Path.Combine(dataDirectory, "warehouse.duckdb"),
                    },
                };
                silos.Add(silo.Start(Path.Combine(dataDirectory, name + ".log"), appendLog: true));
                Console.WriteLine($"{name}: gateway 127.0.0.1:{30000 + i}, dashboard http://127.0.0.1:{8080 + i}/, log {Path.Combine(dataDirectory, name + ".log")}");
            }

            Console.WriteLine($"API key (header X-Api-Key): {apiKey}  (kept in {Path.Combine(dataDirectory, "api-key")})");
            Console.WriteLine("Try: dotnet run --project client -- simulate --rate 200   |   hc status   |   hc census. Ctrl-C stops the cluster.");
            while (!stopping.IsCancellationRequested)
            {
                if (silos.FirstOrDefault(p => p.HasExited) is { } exited)
                {
                    Console.Error.WriteLine($"{exited.Name} exited with {exited.ExitCode}; see its log. Stopping the cluster.");
                    break;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            return 0;
        }
        finally
        {
            await ClusterShutdown.StopAsync(silos, redisServer is null ? [] : [redisServer.Process], Console.WriteLine, Console.Error.WriteLine);
            foreach (var process in silos)
            {
                process.Dispose();
            }

            redisServer?.Dispose();
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
}
