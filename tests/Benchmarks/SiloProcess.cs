using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace HealthcareOrleans.Benchmarks;

/// <summary>
/// The real silo as a user runs it, in a process of its own: <c>dotnet HealthcareOrleans.Silo.dll</c> with the kafka
/// profile against a broker the benchmark hosts, a fresh data folder (grain state, checkpoints, lake, warehouse), free
/// ports, the in-process simulator off and an API key. Its console output goes to <see cref="LogFile"/>.
/// </summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly HttpClient _http;

    private SiloProcess(Process process, StreamWriter log, HttpClient http, string dataDirectory, int gatewayPort)
    {
        _process = process;
        _log = log;
        _http = http;
        DataDirectory = dataDirectory;
        GatewayPort = gatewayPort;
    }

    public int ProcessId => _process.Id;

    public string DataDirectory { get; }

    public string LogFile => Path.Combine(DataDirectory, "silo.log");

    public int GatewayPort { get; }

    /// <summary>Starts the silo (with <see cref="BenchmarkOptions.SiloSettings"/> added to its environment) and returns once <c>/healthz/ready</c> says it is an active cluster member.</summary>
    public static async Task<SiloProcess> StartAsync(BenchmarkOptions options, string bootstrapServers)
    {
        var siloDll = options.SiloPath;
        if (!File.Exists(siloDll))
        {
            throw new FileNotFoundException($"No silo build at {siloDll}. Build it first: dotnet build -c Release silo (or pass --silo PATH).", siloDll);
        }

        var dataDirectory = Directory.CreateTempSubdirectory("hc-bench-silo-").FullName;
        var (httpPort, siloPort, gatewayPort) = (LoopbackPorts.Free(), LoopbackPorts.Free(), LoopbackPorts.Free());
        var apiKey = Convert.ToHexString(Guid.NewGuid().ToByteArray());
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(siloDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(siloDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{httpPort}");
        start.Environment["Profile"] = "kafka";
        start.Environment["Kafka__BootstrapServers"] = bootstrapServers;
        start.Environment["HC_DATA_DIR"] = dataDirectory;
        start.Environment["HC_API_KEY"] = apiKey;
        // Telemetry names patients by a keyed hash; outside the embedded profile the key must be given.
        start.Environment["Security__PseudonymKey"] = Convert.ToHexString(Guid.NewGuid().ToByteArray()) + Convert.ToHexString(Guid.NewGuid().ToByteArray());
        start.Environment["Orleans__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["Orleans__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["Simulator__Enabled"] = "false";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in options.SiloSettings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start the silo.");
        var log = new StreamWriter(Path.Combine(dataDirectory, "silo.log")) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        var silo = new SiloProcess(process, log, http, dataDirectory, gatewayPort);
        try
        {
            await silo.WaitUntilReadyAsync();
        }
        catch
        {
            await silo.DisposeAsync(keepData: true);
            throw;
        }

        return silo;
    }

    public ProcessResources Resources() => ProcessResources.Read(_process.Id);

    public async Task<EngineStatusSample> StatusAsync() =>
        EngineStatusSample.Parse(await _http.GetStringAsync(new Uri("/api/status", UriKind.Relative)));

    /// <summary>The engine's <c>hc.events.latency</c> histogram from <c>/metrics</c>; empty when the silo has no such endpoint.</summary>
    public async Task<LatencyHistogram> LatencyHistogramAsync() => LatencyHistogram.Parse(await MetricsAsync());

    /// <summary>Orleans' activation gauges from <c>/metrics</c>; null when the silo does not export them.</summary>
    public async Task<ResidentActivations?> ResidentActivationsAsync() => ResidentActivations.Parse(await MetricsAsync());

    /// <summary>The Prometheus text of <c>/metrics</c>; empty when the silo has no such endpoint.</summary>
    private async Task<string> MetricsAsync()
    {
        using var response = await _http.GetAsync(new Uri("/metrics", UriKind.Relative));
        return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : string.Empty;
    }

    public ValueTask DisposeAsync() => DisposeAsync(keepData: false);

    private async ValueTask DisposeAsync(bool keepData)
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _http.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }

        if (keepData)
        {
            Console.Error.WriteLine($"The silo's data and log are kept in {DataDirectory}");
        }
        else
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The silo exited with code {_process.ExitCode} while starting; see {LogFile}.");
            }

            try
            {
                using var response = await _http.GetAsync(new Uri("/healthz/ready", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (watch.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"The silo was not ready within {StartTimeout.TotalSeconds:0} s; see {LogFile}.");
            }

            await Task.Delay(100);
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            if (log.BaseStream is not null)
            {
                log.WriteLine(line);
            }
        }
    }
}
