using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Silo.Configuration;
using HealthcareOrleans.Streaming.Kafka.Embedded;

namespace HealthcareOrleans.Silo.Hosting;

/// <summary>
/// The embedded profile: one process with its own in-memory broker. Its one side effect at start is documented here:
/// the previous run's live grain state is cleared (see <see cref="ClearPreviousLiveState"/>).
/// </summary>
public static class EmbeddedProfile
{
    /// <summary>
    /// Starts the in-memory broker (with the topic of <c>Kafka:Topic</c>) and registers it, then clears the previous
    /// run's live state. Null outside the embedded profile. It must be up before the silo: the stream provider checks
    /// the topic when it starts.
    /// </summary>
    public static async Task<EmbeddedKafkaBroker?> StartBrokerAsync(this WebApplicationBuilder builder, EngineSettings engine)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(engine);
        if (engine.Profile != EngineProfile.Embedded)
        {
            return null;
        }

        var broker = await EmbeddedKafkaBroker.StartAsync([builder.Configuration.GetSection("Kafka")["Topic"] ?? PatientFlowStreams.DefaultTopic]);
        ClearPreviousLiveState(engine);
        builder.Services.AddSingleton(broker);
        return broker;
    }

    /// <summary>
    /// The embedded broker's log lives in memory and died with the previous process: live state built from it would
    /// mix a hospital that no log can continue with this run's. The lake keeps the previous runs' history.
    /// </summary>
    public static void ClearPreviousLiveState(EngineSettings engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var previousLiveState = engine.GrainStateDirectory;
        if (Directory.Exists(previousLiveState))
        {
            Directory.Delete(previousLiveState, recursive: true);
            Console.WriteLine($"Embedded profile: cleared the previous run's live state in {previousLiveState} (its in-memory broker is gone; the lake keeps the history).");
        }
    }
}
