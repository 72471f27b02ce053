using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Silo.Configuration;
using HealthcareOrleans.Simulation;
using HealthcareOrleans.Simulation.Kafka;
using HealthcareOrleans.Streaming.Kafka.Embedded;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Silo.Simulation;

public static class EmbeddedSimulatorExtensions
{
    /// <summary>
    /// The in-process hospital simulator (<c>Simulator:Enabled</c>, on by default in the embedded profile), publishing
    /// to the embedded broker or to <c>Kafka:BootstrapServers</c> like any external producer.
    /// </summary>
    public static WebApplicationBuilder AddEmbeddedSimulator(this WebApplicationBuilder builder, EngineSettings engine, EmbeddedKafkaBroker? broker)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(engine);
        if (!engine.SimulatorEnabled)
        {
            return builder;
        }

        var services = builder.Services;
        services.AddOptions<SimulatorOptions>().Bind(builder.Configuration.GetSection(SimulatorOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SimulatorOptions>>(new SimulatorOptionsValidator(engine.Layout));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SimulatorOptions>>().Value.ToSimulation(engine.Layout));
        var kafka = builder.Configuration.GetSection("Kafka");
        services.AddSingleton(new KafkaPublisherOptions
        {
            BootstrapServers = broker?.BootstrapServers ?? kafka["BootstrapServers"] ?? string.Empty,
            Topic = kafka["Topic"] ?? PatientFlowStreams.DefaultTopic,
        });
        services.AddHostedService<EmbeddedSimulatorService>();
        return builder;
    }
}
