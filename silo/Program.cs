using HealthcareOrleans.Silo.Hosting;
using HealthcareOrleans.Silo.Ingestion;
using HealthcareOrleans.Silo.Security;
using HealthcareOrleans.Silo.Simulation;
using HealthcareOrleans.Silo.Telemetry;

// One binary, every profile (Profile=embedded|kafka): each step below is an extension method that says what it adds.
var builder = WebApplication.CreateBuilder(SiloHostDefaults.Options(args));
var engine = builder.ApplySiloDefaults();
await using var broker = await builder.StartBrokerAsync(engine);

builder.AddPatientFlowSilo(engine, broker);
builder.AddEmbeddedSimulator(engine, broker);
builder.AddPatientFlowWarehouse(engine);
builder.AddApiKeys(engine);
builder.AddPatientFlowTelemetry();
builder.AddHospitalFeeds();
builder.AddPatientFlowHttp();

var app = builder.Build();
app.MapPatientFlowHttp();
app.AnnounceStart(engine, broker);
await app.RunAsync();

/// <summary>Named so functional tests can start this host (WebApplicationFactory).</summary>
public partial class Program;
