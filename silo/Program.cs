using System.Text.Json;
using System.Text.Json.Serialization;
using HealthcareOrleans.Contracts.Engine;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Grains;
using HealthcareOrleans.Grains.Hosting;
using HealthcareOrleans.Medallion.Lake;
using HealthcareOrleans.Grains.Streaming;
using HealthcareOrleans.Silo.Api;
using HealthcareOrleans.Silo.Configuration;
using HealthcareOrleans.Silo.Dashboard;
using HealthcareOrleans.Silo.Fhir;
using HealthcareOrleans.Silo.Hosting;
using HealthcareOrleans.Silo.Ingestion;
using HealthcareOrleans.Silo.Security;
using HealthcareOrleans.Silo.Simulation;
using HealthcareOrleans.Silo.Telemetry;
using HealthcareOrleans.Simulation.Kafka;
using HealthcareOrleans.Streaming.Kafka.Embedded;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Warehouse.Hosting;

var builder = WebApplication.CreateBuilder(SiloHostDefaults.Options(args));
SiloHostDefaults.AddSafeLogLevels(builder.Configuration);
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:8080");
}

var engine = EngineSettings.From(builder.Configuration);
// Before anything writes there: the data folder 0700, every file this process creates 0600 (patient data).
OwnerOnlyFiles.Apply(engine.DataDirectory);

// The embedded broker must be up before the silo: the stream provider checks the topic when it starts.
EmbeddedKafkaBroker? broker = null;
var kafkaSection = builder.Configuration.GetSection("Kafka");
if (engine.Profile == EngineProfile.Embedded)
{
    broker = await EmbeddedKafkaBroker.StartAsync([kafkaSection["Topic"] ?? PatientFlowStreams.DefaultTopic]);

    // The embedded broker's log lives in memory and died with the previous process: live state built from it would
    // mix a hospital that no log can continue with this run's. The lake keeps the previous runs' history.
    var previousLiveState = engine.GrainStateDirectory;
    if (Directory.Exists(previousLiveState))
    {
        Directory.Delete(previousLiveState, recursive: true);
        Console.WriteLine($"Embedded profile: cleared the previous run's live state in {previousLiveState} (its in-memory broker is gone; the lake keeps the history).");
    }
    builder.Services.AddSingleton(broker);
}

builder.Services.AddSingleton(engine.Profile == EngineProfile.Embedded ? BrokerDurability.Embedded : BrokerDurability.External);

var lake = builder.Configuration.GetSection(LakeOptions.Section).Get<LakeOptions>() ?? new LakeOptions();
if (string.IsNullOrWhiteSpace(lake.ConnectionString))
{
    lake.Root ??= Path.Combine(engine.DataDirectory, "lake");
}

builder.UseOrleans(silo =>
{
    SiloTopology.Configure(silo, engine, builder.Configuration);
    silo.AddPatientFlowGrains(engine.Layout, configure: builder.Configuration.GetSection("Patients").Bind);
    silo.AddKafkaPatientFlowStreams(kafka =>
    {
        kafkaSection.Bind(kafka);
        if (broker is not null)
        {
            kafka.BootstrapServers = broker.BootstrapServers;
            // Bronze keys exactly-once on the log's identity; the embedded log is new at every start.
            kafka.SourceId = broker.SourceId;
        }
        else
        {
            if (kafkaSection["EventHubsConnectionString"] is { Length: > 0 } eventHubs)
            {
                kafka.UseEventHubs(eventHubs);
            }

            // A real broker keeps its log across restarts, so its checkpoints must too.
            kafka.CheckpointDirectory ??= Path.Combine(engine.DataDirectory, "checkpoints");
        }
    });
    silo.AddPatientFlowLake(lake);
});

if (engine.SimulatorEnabled)
{
    builder.Services.AddSingleton(SimulatorSettings.From(builder.Configuration.GetSection("Simulator"), engine.Layout));
    builder.Services.AddSingleton(new KafkaPublisherOptions
    {
        BootstrapServers = broker?.BootstrapServers ?? kafkaSection["BootstrapServers"] ?? string.Empty,
        Topic = kafkaSection["Topic"] ?? PatientFlowStreams.DefaultTopic,
    });
    builder.Services.AddHostedService<EmbeddedSimulatorService>();
}

// The warehouse follows the Gold tables: each new Gold version is loaded once (DuckDB by default, or Synapse).
if (string.IsNullOrWhiteSpace(builder.Configuration["Warehouse:DuckDbPath"]))
{
    builder.Configuration["Warehouse:DuckDbPath"] = Path.Combine(engine.DataDirectory, "warehouse.duckdb");
}

builder.Services.AddHealthcareWarehouse(builder.Configuration, sp => sp.GetRequiredService<ILakeStorage>());

builder.Services.ConfigureHttpJsonOptions(json =>
{
    json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
    json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper));
});
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

var apiKeyOptions = new ApiKeyOptions();
builder.Configuration.GetSection(ApiKeyOptions.Section).Bind(apiKeyOptions);
var (apiKeys, generatedKeyFile) = ApiKeyRing.Create(apiKeyOptions, builder.Configuration["HC_API_KEY"], engine.DataDirectory, mayGenerate: engine.Profile == EngineProfile.Embedded);
builder.Services.AddSingleton(apiKeys);
builder.Services.AddSingleton(apiKeyOptions);

builder.AddPatientFlowTelemetry();
builder.AddHospitalFeeds();
builder.Services.AddFhirIntake();
builder.AddPatientFlowCors();
builder.AddDashboard();

var app = builder.Build();
// CORS before the key check: a browser's preflight carries no key.
app.UsePatientFlowCors();
app.UseMiddleware<ApiKeyMiddleware>();
app.MapDashboard();
app.MapPatientFlowTelemetry();
app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
// Ready once this silo is an active cluster member: before that it owns no partitions and cannot answer for grains.
app.MapGet("/healthz/ready", (IClusterMembershipService membership, ILocalSiloDetails silo) =>
    membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress) == SiloStatus.Active
        ? Results.Ok(new { status = "ready" })
        : Results.Json(new { status = "starting" }, statusCode: StatusCodes.Status503ServiceUnavailable));
app.MapPatientFlowApi();
app.MapFhirIntake();

var startupMessage = $"HealthcareOrleans {engine.Profile} profile: data in {engine.DataDirectory}, gateway 127.0.0.1:{engine.GatewayPort}, broker {broker?.BootstrapServers ?? kafkaSection["BootstrapServers"]}";
#pragma warning disable CA2254 // One line at start-up, built once: a template would buy nothing.
app.Logger.LogInformation(startupMessage);
#pragma warning restore CA2254
if (generatedKeyFile is not null)
{
    // The embedded profile is one person's machine: show the key where they look, never in the logs.
    Console.WriteLine($"API key (header X-Api-Key) for the HTTP API: {File.ReadAllText(generatedKeyFile)}  (kept in {generatedKeyFile})");
}

await app.RunAsync();
if (broker is not null)
{
    await broker.DisposeAsync();
}

/// <summary>Named so functional tests can start this host (WebApplicationFactory).</summary>
public partial class Program;
