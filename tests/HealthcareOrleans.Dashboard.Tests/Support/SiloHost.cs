using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Confluent.Kafka;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Grains.Engine;
using HealthcareOrleans.Simulation;
using HealthcareOrleans.Streaming.Kafka.Embedded;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace HealthcareOrleans.Dashboard.Tests.Support;

[CollectionDefinition(Name)]
public sealed class SiloHostCollection : ICollectionFixture<SiloHost>
{
    public const string Name = "silo host";
}

/// <summary>
/// The real silo host (embedded profile, simulator off) on a real loopback port, so a browser can reach it, with
/// in-memory telemetry exporters and a log capture. It starts with two weeks of a simulated hospital already applied,
/// then stays quiet: only the tests produce.
/// </summary>
public sealed class SiloHost : IAsyncLifetime
{
    public const string ApiKey = "dashboard-tests-key-7c1e9a";
    public const string Topic = PatientFlowStreams.DefaultTopic;

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("hc-dashboard-").FullName;
    private WebApplicationFactory<Program>? _factory;
    private IProducer<string, byte[]>? _producer;

    public LockedCollection<Activity> Spans { get; } = new();
    public LockedCollection<MetricSnapshot> Metrics { get; } = new();
    public LogCapture Logs { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;
    public IServiceProvider Services => _factory!.Services;
    public long SeededMessages { get; private set; }

    public async Task InitializeAsync()
    {
        // The host reads its settings before it is built, so they go in as environment variables.
        Environment.SetEnvironmentVariable("HC_DATA_DIR", _dataDirectory);
        Environment.SetEnvironmentVariable("HC_API_KEY", ApiKey);
        Environment.SetEnvironmentVariable("Simulator__Enabled", "false");
        Environment.SetEnvironmentVariable("Orleans__SiloPort", LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture));
        Environment.SetEnvironmentVariable("Orleans__GatewayPort", LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture));
        Environment.SetEnvironmentVariable("ASPNETCORE_URLS", "http://127.0.0.1:0");
        Environment.SetEnvironmentVariable("Telemetry__TracingEnabled", "true");
        Environment.SetEnvironmentVariable("Logging__LogLevel__HealthcareOrleans", "Debug");

        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web.ConfigureTestServices(services =>
        {
            services.ConfigureOpenTelemetryTracerProvider(traces => traces.AddInMemoryExporter(Spans));
            services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(Metrics, reader =>
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = int.MaxValue));
            services.ConfigureOpenTelemetryLoggerProvider(logs => logs.AddProcessor(Logs.Exported));
            services.AddSingleton<ILoggerProvider>(Logs);
        }));
        _factory.UseKestrel(0);
        _factory.StartServer();

        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.Single(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)));

        var broker = _factory.Services.GetRequiredService<EmbeddedKafkaBroker>();
        _producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, LingerMs = 5 }).Build();
        await SeedHospitalAsync();
    }

    public async Task DisposeAsync()
    {
        _producer?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        Directory.Delete(_dataDirectory, recursive: true);
    }

    public HttpClient Client(bool withKey = true)
    {
        var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (withKey)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        }

        return http;
    }

    public async Task ProduceAsync(string? key, string value)
    {
        var result = await _producer!.ProduceAsync(Topic, new Message<string, byte[]> { Key = key!, Value = System.Text.Encoding.UTF8.GetBytes(value) });
        Assert.Equal(PersistenceStatus.Persisted, result.Status);
    }

    public async Task<JsonElement> CensusAsync()
    {
        using var http = Client();
        return await http.GetFromJsonAsync<JsonElement>(new Uri("/api/census", UriKind.Relative));
    }

    /// <summary>What the grains of this silo have done with the stream: applied + duplicates + rejected.</summary>
    public long MessagesAccountedFor
    {
        get
        {
            var counters = Services.GetRequiredService<PipelineCounters>();
            return counters.EventsApplied + counters.EventsDuplicate + counters.MessagesRejected;
        }
    }

    /// <summary>The current cumulative value of a counter, summed over its label sets, after a forced export.</summary>
    public long CounterValue(string name, Func<MetricPoint, bool>? where = null)
    {
        lock (Metrics.SyncRoot)
        {
            Metrics.Clear();
            // The Prometheus reader answers false (it only exports when scraped); the in-memory one has exported.
            Services.GetRequiredService<MeterProvider>().ForceFlush(10_000);
            Assert.NotEmpty(Metrics.Snapshot());
            long total = 0;
            foreach (var metric in Metrics.Snapshot().Where(m => m.Name == name))
            {
                foreach (var point in metric.MetricPoints)
                {
                    if (where is null || where(point))
                    {
                        total += point.GetSumLong();
                    }
                }
            }

            return total;
        }
    }

    /// <summary>Two simulated weeks of both hospitals, produced as fast as the broker takes them, all applied before any test runs.</summary>
    private async Task SeedHospitalAsync()
    {
        var now = DateTimeOffset.UtcNow;
        // The simulator never releases an event ahead of its clock; a clock a year ahead lets it run to "now" at once.
        var simulator = new PatientFlowSimulator(new SimulationOptions { Seed = 11, Start = now.AddDays(-14), Speed = 0 }, new YearAheadClock());
        var before = MessagesAccountedFor;
        using (var done = new CancellationTokenSource())
        {
            try
            {
                await foreach (var message in simulator.GenerateAsync(done.Token))
                {
                    if (message.SimulatedAt >= now.AddMinutes(-1))
                    {
                        break;
                    }

                    _producer!.Produce(Topic, new Message<string, byte[]> { Key = message.Key, Value = message.Value });
                    SeededMessages++;
                }
            }
            finally
            {
                await done.CancelAsync();
            }
        }

        _producer!.Flush(TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => MessagesAccountedFor - before >= SeededMessages, TimeSpan.FromSeconds(90),
            () => $"the seeded hospital to be applied ({MessagesAccountedFor - before} of {SeededMessages} messages)");
    }

    private sealed class YearAheadClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddYears(1);
    }
}
