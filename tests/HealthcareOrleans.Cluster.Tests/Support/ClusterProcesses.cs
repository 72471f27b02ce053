using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HealthcareOrleans.Cluster.Tests.Support;

/// <summary>A child process whose output goes to a log file; killed (whole tree) when disposed.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly object _gate = new();
    private readonly StringBuilder _tail = new();

    public ChildProcess(string name, ProcessStartInfo start, string logFile)
    {
        Name = name;
        LogFile = logFile;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        _log = new StreamWriter(logFile) { AutoFlush = true };
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Write(e.Data);
        _process.ErrorDataReceived += (_, e) => Write(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public string LogFile { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The last few KiB of output, for failure messages.</summary>
    public string Tail
    {
        get
        {
            lock (_gate)
            {
                return _tail.ToString();
            }
        }
    }

    /// <summary>SIGTERM, as Kubernetes stops a pod: the host shuts down gracefully. Waits for the exit.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return _process.ExitCode;
        }

        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!)
        {
            await kill.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush, no hand-over.</summary>
    public void KillHard()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        try
        {
            KillHard();
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        lock (_gate)
        {
            _log.Dispose();
        }
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            _tail.AppendLine(line);
            if (_tail.Length > 6000)
            {
                _tail.Remove(0, _tail.Length - 4000);
            }
        }
    }
}

public static class Ports
{
    private static readonly HashSet<int> Handed = [];

    /// <summary>A free TCP port on 127.0.0.1, never the same one twice in this process.</summary>
    public static int Free()
    {
        lock (Handed)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (Handed.Add(port))
                {
                    return port;
                }
            }
        }
    }

    public static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

/// <summary>Where the repository and the silo's build output (same configuration as this test) are.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>bin/&lt;Configuration&gt;/net10.0 of this test assembly.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string SiloDll
    {
        get
        {
            var path = Path.Combine(Root, "silo", "bin", Configuration, "net10.0", "HealthcareOrleans.Silo.dll");
            return File.Exists(path)
                ? path
                : throw new InvalidOperationException($"The silo is not built at {path}: build the solution (or this test project, which builds the silo) in {Configuration}.");
        }
    }

    public static string ClientDll
    {
        get
        {
            var path = Path.Combine(Root, "client", "bin", Configuration, "net10.0", "hc.dll");
            return File.Exists(path)
                ? path
                : throw new InvalidOperationException($"hc is not built at {path}: build the solution (or this test project, which builds the client) in {Configuration}.");
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HealthcareOrleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No HealthcareOrleans.sln above {AppContext.BaseDirectory}.");
    }

    public static string? OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}
