using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace HealthcareOrleans.LocalCluster;

/// <summary>A child process whose output goes to a log file; killed (whole tree) when disposed.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly object _gate = new();
    private readonly StringBuilder _tail = new();

    /// <param name="appendLog">Add to an existing log instead of starting it afresh (a cluster run again in the same folder).</param>
    public ChildProcess(string name, ProcessStartInfo start, string logFile, bool appendLog = false)
    {
        Name = name;
        LogFile = logFile;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        _log = new StreamWriter(logFile, appendLog) { AutoFlush = true };
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

    public int ExitCode => _process.ExitCode;

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

        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture) } })!)
        {
            await kill.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    /// <summary>
    /// <see cref="TerminateAsync"/>, and SIGKILL when the process has not stopped within <paramref name="timeout"/>.
    /// Returns false when it had to be killed.
    /// </summary>
    public async Task<bool> StopAsync(TimeSpan timeout)
    {
        try
        {
            await TerminateAsync(timeout);
            return true;
        }
        catch (OperationCanceledException)
        {
            KillHard();
            return false;
        }
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
