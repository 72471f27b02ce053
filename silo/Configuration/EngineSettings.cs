using HealthcareOrleans.Contracts.Hospital;

namespace HealthcareOrleans.Silo.Configuration;

public enum EngineProfile
{
    /// <summary>One process: localhost clustering, in-process broker and simulator, state on local disk.</summary>
    Embedded,
    /// <summary>Any Kafka-protocol broker (Event Hubs included); clustering and state as configured.</summary>
    Kafka,
    /// <summary>Membership, grain state and stream checkpoints in an Azure Storage account (section <c>AzureStorage</c>); ingestion as in <see cref="Kafka"/>.</summary>
    Azure,
}

/// <summary>
/// The silo's top-level settings, read once at start. Every value comes from configuration (appsettings, the
/// environment, the command line), so one binary serves every profile.
/// </summary>
public sealed record EngineSettings
{
    public EngineProfile Profile { get; init; } = EngineProfile.Embedded;

    /// <summary>All local state lives under here: grain state, checkpoints, later the lake and the warehouse.</summary>
    public required string DataDirectory { get; init; }

    public required HospitalLayout Layout { get; init; }

    public string GrainStateDirectory => Path.Combine(DataDirectory, "grains");

    public int SiloPort { get; init; } = 11111;

    public int GatewayPort { get; init; } = 30000;

    public bool SimulatorEnabled { get; init; }

    /// <summary>Orleans cluster and service ids; clients (<c>hc</c>) must use the same.</summary>
    public string ClusterId { get; init; } = DefaultClusterId;

    public string ServiceId { get; init; } = DefaultServiceId;

    public const string DefaultClusterId = "healthcare-orleans";

    public const string DefaultServiceId = "healthcare-orleans";

    public static EngineSettings From(IConfiguration configuration)
    {
        var profileText = configuration["Profile"] ?? configuration["HC_PROFILE"] ?? nameof(EngineProfile.Embedded);
        if (!Enum.TryParse<EngineProfile>(profileText, ignoreCase: true, out var profile))
        {
            throw new InvalidOperationException($"Profile '{profileText}' is unknown. Use Profile=embedded (one process, no external service), Profile=kafka (set Kafka:BootstrapServers or Kafka:EventHubsConnectionString) or Profile=azure (as kafka, with cluster state in Azure Storage: set AzureStorage:ConnectionString or AzureStorage:BlobServiceUri and AzureStorage:TableServiceUri).");
        }

        var dataDirectory = Path.GetFullPath(configuration["HC_DATA_DIR"] is { Length: > 0 } dir ? dir : configuration["DataDirectory"] ?? "data");
        var layoutFile = configuration["Hospital:LayoutFile"];
        var layout = string.IsNullOrWhiteSpace(layoutFile) ? HospitalLayout.Default : HospitalLayout.LoadFile(layoutFile);
        return new EngineSettings
        {
            Profile = profile,
            DataDirectory = dataDirectory,
            Layout = layout,
            SiloPort = configuration.GetValue("Orleans:SiloPort", 11111),
            GatewayPort = configuration.GetValue("Orleans:GatewayPort", 30000),
            SimulatorEnabled = configuration.GetValue("Simulator:Enabled", profile == EngineProfile.Embedded),
            ClusterId = configuration["Orleans:ClusterId"] ?? DefaultClusterId,
            ServiceId = configuration["Orleans:ServiceId"] ?? DefaultServiceId,
        };
    }
}
