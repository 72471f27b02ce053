using HealthcareOrleans.Silo.Configuration;
using HealthcareOrleans.Silo.Security;
using HealthcareOrleans.Streaming.Kafka.Embedded;

namespace HealthcareOrleans.Silo.Hosting;

public static class StartupAnnouncement
{
    /// <summary>One line on what this silo is (profile, data folder, gateway, broker) and, if one was generated, the API key.</summary>
    public static WebApplication AnnounceStart(this WebApplication app, EngineSettings engine, EmbeddedKafkaBroker? broker)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(engine);
        var startupMessage = $"HealthcareOrleans {engine.Profile} profile: data in {engine.DataDirectory}, gateway 127.0.0.1:{engine.GatewayPort}, broker {broker?.BootstrapServers ?? app.Configuration.GetSection("Kafka")["BootstrapServers"]}";
#pragma warning disable CA2254 // One line at start-up, built once: a template would buy nothing.
        app.Logger.LogInformation(startupMessage);
#pragma warning restore CA2254
        if (app.Services.GetRequiredService<ApiKeys>().GeneratedKeyFile is { } generatedKeyFile)
        {
            // The embedded profile is one person's machine: show the key where they look, never in the logs.
            Console.WriteLine($"API key (header X-Api-Key) for the HTTP API: {File.ReadAllText(generatedKeyFile)}  (kept in {generatedKeyFile})");
        }

        return app;
    }
}
