using System.Diagnostics;
using System.Globalization;

namespace HealthcareOrleans.LocalCluster;

/// <summary>redis-server on a free loopback port, for membership, grain state and stream checkpoints.</summary>
public sealed class RedisServer : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private RedisServer(ChildProcess process, int port)
    {
        Process = process;
        Port = port;
    }

    public ChildProcess Process { get; }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Starts redis-server in <paramref name="directory"/> (its log is redis.log there) and returns once it accepts
    /// connections. <paramref name="persistent"/> keeps an append-only file there, so a cluster started again in the
    /// same folder finds its state; otherwise nothing is written to disk.
    /// </summary>
    public static async Task<RedisServer> StartAsync(string directory, bool persistent, bool appendLog = false, CancellationToken cancellationToken = default)
    {
        var program = RepositoryBuild.OnPath("redis-server")
            ?? throw new InvalidOperationException("redis-server is not installed: run `apt-get install -y redis-server` (tests/run.sh does)");
        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo(program)
        {
            ArgumentList = { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1" },
            WorkingDirectory = directory,
        };
        foreach (var argument in persistent ? ["--dir", directory, "--appendonly", "yes"] : new[] { "--save", "", "--appendonly", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = new ChildProcess("redis", start, Path.Combine(directory, "redis.log"), appendLog);
        if (!await LoopbackPorts.WaitUntilAcceptsAsync(port, StartTimeout, cancellationToken))
        {
            process.Dispose();
            throw new TimeoutException($"redis-server on {port} does not accept connections after {StartTimeout.TotalSeconds:0} s: {process.Tail}");
        }

        return new RedisServer(process, port);
    }

    public void Dispose() => Process.Dispose();
}
