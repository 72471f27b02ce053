using System.Globalization;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Grains.Hosting;
using HealthcareOrleans.Medallion.Lake;
using HealthcareOrleans.PatientFlow.Patients;
using HealthcareOrleans.Silo.Configuration;
using HealthcareOrleans.Streaming.Kafka.Embedded;
using HealthcareOrleans.Streaming.Kafka.Hosting;
using HealthcareOrleans.Streaming.Kafka.Options;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Silo.Hosting;

public static class PatientFlowSiloExtensions
{
    /// <summary>
    /// The Orleans silo: clustering and grain state (<see cref="SiloTopology"/>), the patient and ward grains
    /// (section <c>Patients</c>), the Kafka stream provider (section <c>Kafka</c>; the embedded broker in the embedded
    /// profile) and the lake (section <c>Lake</c>; under the data folder unless a connection string or service URI is
    /// given, and in Profile=azure on the <c>AzureStorage</c> account unless the section names another).
    /// </summary>
    public static WebApplicationBuilder AddPatientFlowSilo(this WebApplicationBuilder builder, EngineSettings engine, EmbeddedKafkaBroker? broker)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(engine);
        var kafkaSection = builder.Configuration.GetSection("Kafka");
        builder.Services.AddOptions<PatientGrainOptions>().Bind(builder.Configuration.GetSection("Patients"));
        var lake = builder.Services.AddOptions<LakeOptions>().Bind(builder.Configuration.GetSection(LakeOptions.Section));
        if (engine.Profile == EngineProfile.Azure)
        {
            lake.PostConfigure<IOptions<AzureStorageOptions>>((o, azure) => AzureProfile.DefaultLakeToAccount(o, azure.Value));
        }
        else
        {
            lake.PostConfigure(o =>
            {
                if (string.IsNullOrWhiteSpace(o.ConnectionString) && o.ServiceUri is null)
                {
                    o.Root ??= Path.Combine(engine.DataDirectory, "lake");
                }
            });
        }

        builder.Services.AddOptions<KafkaStreamOptions>(PatientFlowStreams.ProviderName).Bind(kafkaSection).PostConfigure(kafka =>
        {
            if (broker is not null)
            {
                kafka.BootstrapServers = broker.BootstrapServers;
                // Bronze keys exactly-once on the log's identity; the embedded log is new at every start.
                kafka.SourceId = broker.SourceId;
                // Unless configured: the in-process broker holds every fetch for its whole wait (see the constant).
                kafka.KafkaConfig.TryAdd("fetch.wait.max.ms", EmbeddedKafkaBroker.ConsumerFetchWaitMaxMs.ToString(CultureInfo.InvariantCulture));
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

        builder.UseOrleans(silo =>
        {
            SiloTopology.Configure(silo, engine, builder.Configuration);
            silo.AddPatientFlowGrains(engine.Layout);
            // The ingestion seam: Orleans' Event Hubs provider (AMQP) when an `EventHubs` section is configured, else the
            // Kafka provider (any Kafka, or Event Hubs' Kafka endpoint); see EventHubsIngestion.
            silo.AddPatientFlowIngestion(builder.Configuration);
            silo.AddPatientFlowLake();
        });
        return builder;
    }
}
