using System.CommandLine;

namespace HealthcareOrleans.Client.Connection;

/// <summary>Options every command understands; set once on the root command.</summary>
public static class GlobalOptions
{
    public static readonly Option<string> Gateway = new("--gateway")
    {
        Description = "Silo gateway as host:port (default: HC_GATEWAY or " + ClusterConnection.DefaultGateway + ")",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HC_GATEWAY") is { Length: > 0 } g ? g : ClusterConnection.DefaultGateway,
    };

    public static readonly Option<string> ClusterId = new("--cluster-id")
    {
        Description = "Orleans cluster id (default: HC_CLUSTER_ID or healthcare-orleans)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HC_CLUSTER_ID") is { Length: > 0 } c ? c : "healthcare-orleans",
    };

    public static readonly Option<string> ServiceId = new("--service-id")
    {
        Description = "Orleans service id (default: HC_SERVICE_ID or healthcare-orleans)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HC_SERVICE_ID") is { Length: > 0 } s ? s : "healthcare-orleans",
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Write JSON instead of a table",
        Recursive = true,
    };

    public static void AddTo(Command root)
    {
        root.Options.Add(Gateway);
        root.Options.Add(ClusterId);
        root.Options.Add(ServiceId);
        root.Options.Add(Json);
    }

    public static Task<ClusterConnection> ConnectAsync(ParseResult parse, CancellationToken cancellationToken) =>
        ClusterConnection.ConnectAsync(parse.GetValue(Gateway)!, parse.GetValue(ClusterId)!, parse.GetValue(ServiceId)!, cancellationToken);
}
