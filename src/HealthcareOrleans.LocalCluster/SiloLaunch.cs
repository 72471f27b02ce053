using System.Diagnostics;
using System.Globalization;

namespace HealthcareOrleans.LocalCluster;

/// <summary>
/// One silo process as a user runs it: <c>dotnet HealthcareOrleans.Silo.dll</c> from its build folder (so it finds its
/// appsettings.json) with the kafka profile, or the azure profile when given a storage account, configured through
/// its environment.
/// </summary>
public sealed record SiloLaunch
{
    public required string SiloDll { get; init; }

    public required string Name { get; init; }

    public required int HttpPort { get; init; }

    public required int SiloPort { get; init; }

    public required int GatewayPort { get; init; }

    public required string BootstrapServers { get; init; }

    /// <summary>The silo's own folder (HC_DATA_DIR): grain state, checkpoints and, unless <see cref="LakeRoot"/> says otherwise, the lake.</summary>
    public required string DataDirectory { get; init; }

    public required string ApiKey { get; init; }

    /// <summary>Telemetry names patients by a keyed hash; outside the embedded profile the key must be given.</summary>
    public required string PseudonymKey { get; init; }

    /// <summary>The broker log's identity Bronze keys exactly-once on; the silo's default when null.</summary>
    public string? SourceId { get; init; }

    /// <summary>Membership, grain state and checkpoints in this Redis; a localhost cluster of one when null.</summary>
    public string? RedisConnectionString { get; init; }

    /// <summary>
    /// Profile=azure on this storage account (Azurite's connection string): membership, grain state and stream
    /// checkpoints there instead of in Redis. Exclusive with <see cref="RedisConnectionString"/>.
    /// </summary>
    public string? AzureStorageConnectionString { get; init; }

    /// <summary>A lake folder the silos share; the silo's data folder when null.</summary>
    public string? LakeRoot { get; init; }

    /// <summary>Anything else the silo reads from its environment (Orleans__ClusterId, Warehouse__Kind, log levels …).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort.ToString(CultureInfo.InvariantCulture)}");

    public ProcessStartInfo StartInfo()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { SiloDll, "--urls", BaseAddress.ToString().TrimEnd('/') },
            WorkingDirectory = Path.GetDirectoryName(SiloDll)!,
        };
        if (RedisConnectionString is not null && AzureStorageConnectionString is not null)
        {
            throw new InvalidOperationException($"Silo {Name}: give Redis or an Azure Storage account, not both.");
        }

        var env = start.Environment;
        env["Profile"] = AzureStorageConnectionString is null ? "kafka" : "azure";
        env["Kafka__BootstrapServers"] = BootstrapServers;
        if (SourceId is not null)
        {
            env["Kafka__SourceId"] = SourceId;
        }

        if (RedisConnectionString is not null)
        {
            env["Redis__ConnectionString"] = RedisConnectionString;
        }

        if (AzureStorageConnectionString is not null)
        {
            env["AzureStorage__ConnectionString"] = AzureStorageConnectionString;
        }

        if (RedisConnectionString is not null || AzureStorageConnectionString is not null)
        {
            // Peers reach each other on the loopback address, not on this machine's first network address.
            env["Orleans__AdvertisedIPAddress"] = "127.0.0.1";
        }

        if (LakeRoot is not null)
        {
            env["Lake__Root"] = LakeRoot;
        }

        env["HC_DATA_DIR"] = DataDirectory;
        env["HC_API_KEY"] = ApiKey;
        env["Security__PseudonymKey"] = PseudonymKey;
        env["Orleans__SiloPort"] = SiloPort.ToString(CultureInfo.InvariantCulture);
        env["Orleans__GatewayPort"] = GatewayPort.ToString(CultureInfo.InvariantCulture);
        env["Orleans__SiloName"] = Name;
        env["Simulator__Enabled"] = "false";
        foreach (var (key, value) in Settings)
        {
            env[key] = value;
        }

        return start;
    }

    /// <summary>Starts the silo; its console output goes to <paramref name="logFile"/>.</summary>
    public ChildProcess Start(string logFile, bool appendLog = false) => new(Name, StartInfo(), logFile, appendLog);
}
