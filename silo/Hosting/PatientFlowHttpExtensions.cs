using System.Text.Json;
using System.Text.Json.Serialization;
using HealthcareOrleans.Silo.Api;
using HealthcareOrleans.Silo.Dashboard;
using HealthcareOrleans.Silo.Fhir;
using HealthcareOrleans.Silo.Security;
using HealthcareOrleans.Silo.Telemetry;

namespace HealthcareOrleans.Silo.Hosting;

public static class PatientFlowHttpExtensions
{
    /// <summary>
    /// The HTTP side: snake_case JSON with enums by name (as the event contract), FHIR intake, CORS, the dashboard,
    /// and 30 s for a graceful shutdown (Bronze flushes, partitions are handed over).
    /// </summary>
    public static WebApplicationBuilder AddPatientFlowHttp(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper));
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddFhirIntake();
        builder.AddPatientFlowCors();
        builder.AddDashboard();
        return builder;
    }

    public static WebApplication MapPatientFlowHttp(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
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
        return app;
    }
}
