using System.Globalization;
using HealthcareOrleans.Streaming.Kafka.Embedded;
using HealthcareOrleans.LocalCluster;

namespace HealthcareOrleans.Benchmarks;

/// <summary>
/// The real silo as a user runs it, in a process of its own: <c>dotnet HealthcareOrleans.Silo.dll</c> with the kafka
/// profile against a broker the benchmark hosts, a fresh data folder (grain state, checkpoints, lake, warehouse), free
/// ports, the in-process simulator off and an API key. Its console output goes to <see cref="LogFile"/>.
/// </summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly ChildProcess _process;
    private readonly HttpClient _http;

    private SiloProcess(ChildProcess process, HttpClient http, string dataDirectory, int gatewayPort)
    {
        _process = process;
        _http = http;
        DataDirectory = dataDirectory;
        GatewayPort = gatewayPort;
    }

    public int ProcessId => _process.Id;

    public string DataDirectory { get; }

    public string LogFile => _process.LogFile;

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
        var launch = new SiloLaunch
        {
            SiloDll = siloDll,
            Name = "silo",
            HttpPort = LoopbackPorts.Free(),
            SiloPort = LoopbackPorts.Free(),
            GatewayPort = LoopbackPorts.Free(),
            BootstrapServers = bootstrapServers,
            DataDirectory = dataDirectory,
            ApiKey = Convert.ToHexString(Guid.NewGuid().ToByteArray()),
            PseudonymKey = Convert.ToHexString(Guid.NewGuid().ToByteArray()) + Convert.ToHexString(Guid.NewGuid().ToByteArray()),
            // --silo-setting last: it overrides every default, these and the launch's own.
            Settings = new Dictionary<string, string>
            {
                ["DOTNET_ENVIRONMENT"] = "Production",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                // The benchmarks' broker is the in-process mock, which holds each fetch for the whole wait: as in the embedded profile.
                ["Kafka__KafkaConfig__fetch.wait.max.ms"] = EmbeddedKafkaBroker.ConsumerFetchWaitMaxMs.ToString(CultureInfo.InvariantCulture),
            }.Concat(options.SiloSettings).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Last().Value),
        };

        var http = new HttpClient { BaseAddress = launch.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("X-Api-Key", launch.ApiKey);
        var silo = new SiloProcess(launch.Start(Path.Combine(dataDirectory, "silo.log")), http, dataDirectory, launch.GatewayPort);
        try
        {
            await SiloHealth.WaitUntilReadyAsync(silo._process, http, launch.BaseAddress, StartTimeout);
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

    /// <summary>The histogram of every stage of <see cref="LatencyHistogram.Stages"/>, in that order, from one scrape.</summary>
    public async Task<LatencyHistogram[]> StageHistogramsAsync()
    {
        var metrics = await MetricsAsync();
        return [.. LatencyHistogram.Stages.Select(s => LatencyHistogram.Parse(metrics, s.Metric))];
    }

    /// <summary>Orleans' activation gauges from <c>/metrics</c>; null when the silo does not export them.</summary>
    public async Task<ResidentActivations?> ResidentActivationsAsync() => ResidentActivations.Parse(await MetricsAsync());

    /// <summary>The runtime's allocation and GC pause totals from <c>/metrics</c>; null when the silo does not export them.</summary>
    public async Task<GcCounters?> GcCountersAsync() => GcCounters.Parse(await MetricsAsync());

    /// <summary>The Prometheus text of <c>/metrics</c>; empty when the silo has no such endpoint.</summary>
    private async Task<string> MetricsAsync()
    {
        using var response = await _http.GetAsync(new Uri("/metrics", UriKind.Relative));
        return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : string.Empty;
    }

    public ValueTask DisposeAsync() => DisposeAsync(keepData: false);

    private ValueTask DisposeAsync(bool keepData)
    {
        _process.Dispose();
        _http.Dispose();
        if (keepData)
        {
            Console.Error.WriteLine($"The silo's data and log are kept in {DataDirectory}");
        }
        else
        {
            Directory.Delete(DataDirectory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
