using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using HealthcareOrleans.LocalCluster;

namespace HealthcareOrleans.Silo.Tests.Hardening;

/// <summary>
/// The silo as an operator starts it: <c>dotnet …/HealthcareOrleans.Silo.dll</c> from a folder that is neither the
/// repository nor the build output, embedded profile, simulator off, every port free and on 127.0.0.1. Everything it
/// writes to stdout and stderr is kept for the tests to search.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    public const string ApiKey = "adversarial-tests-key-5b0d2f";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly object _gate = new();

    private SiloProcess(Process process, string workingDirectory, string dataDirectory, Uri baseAddress, int gatewayPort)
    {
        _process = process;
        WorkingDirectory = workingDirectory;
        DataDirectory = dataDirectory;
        GatewayPort = gatewayPort;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
    }

    public string WorkingDirectory { get; }

    public string DataDirectory { get; }

    public string LakeDirectory => Path.Combine(DataDirectory, "lake");

    public int GatewayPort { get; }

    public HttpClient Http { get; }

    public string BrokerAddress { get; private set; } = string.Empty;

    /// <summary>stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<SiloProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var workingDirectory = Directory.CreateTempSubdirectory("hc-adversarial-cwd-").FullName;
        var dataDirectory = Path.Combine(Directory.CreateTempSubdirectory("hc-adversarial-data-").FullName, "data");
        var httpPort = LoopbackPorts.Free();
        var gatewayPort = LoopbackPorts.Free();
        var start = new ProcessStartInfo("dotnet", [RepositoryBuild.SiloDll])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Nothing from the test host's own environment decides the silo's content root or logging.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_", StringComparison.Ordinal) || k.StartsWith("Logging__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["HC_DATA_DIR"] = dataDirectory;
        start.Environment["HC_API_KEY"] = ApiKey;
        start.Environment["Simulator__Enabled"] = "false";
        start.Environment["Orleans__SiloPort"] = LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture);
        start.Environment["Orleans__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort}";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var silo = new SiloProcess(process, workingDirectory, dataDirectory, new Uri($"http://127.0.0.1:{httpPort}"), gatewayPort);
        process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await silo.WaitUntilReadyAsync();
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }

        return silo;
    }

    public async Task<JsonElement> StatusAsync() => await Http.GetFromJsonAsync<JsonElement>(new Uri("/api/status", UriKind.Relative));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        TryDelete(WorkingDirectory);
        TryDelete(Path.GetDirectoryName(DataDirectory)!);
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The silo exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var ready = await Http.GetAsync(new Uri("/healthz/ready", UriKind.Relative));
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    var status = await StatusAsync();
                    if (status.GetProperty("silos").EnumerateArray().Select(s => s.GetProperty("broker_address").GetString()).FirstOrDefault(a => !string.IsNullOrEmpty(a)) is { } broker)
                    {
                        BrokerAddress = broker;
                        return;
                    }
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The silo was not ready within 90 s:\n{Output}");
            }

            await Task.Delay(200);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
