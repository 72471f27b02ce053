using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Silo.Configuration;

/// <summary>
/// Fails the start of a <c>Profile=azure</c> silo with what to set, before it tries to join a cluster in a storage
/// account it cannot reach or name.
/// </summary>
public sealed partial class AzureStorageOptionsValidator(bool redisConfigured) : IValidateOptions<AzureStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, AzureStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> errors = [];
        var uris = options.BlobServiceUri is not null || options.TableServiceUri is not null;
        if (!options.UsesConnectionString && !uris)
        {
            errors.Add("Profile=azure keeps membership, grain state and stream checkpoints in Azure Storage, and no account is set. "
                + "Set AzureStorage:ConnectionString (Azurite, tests), or AzureStorage:BlobServiceUri and AzureStorage:TableServiceUri "
                + "(https://<account>.blob.core.windows.net, https://<account>.table.core.windows.net; the silo signs in with DefaultAzureCredential, the workload identity in AKS).");
        }
        else if (options.UsesConnectionString && uris)
        {
            errors.Add("AzureStorage:ConnectionString and AzureStorage:BlobServiceUri/TableServiceUri are both set. Set one: the connection string (with its key), or the service URIs (signed in with DefaultAzureCredential).");
        }
        else if (uris)
        {
            ServiceUri(errors, nameof(options.BlobServiceUri), options.BlobServiceUri, "blob");
            ServiceUri(errors, nameof(options.TableServiceUri), options.TableServiceUri, "table");
        }

        if (!TableName().IsMatch(options.ClusteringTable ?? string.Empty))
        {
            errors.Add($"AzureStorage:ClusteringTable '{options.ClusteringTable}' is not a table name. Use 3 to 63 letters and digits, starting with a letter (default OrleansSiloInstances).");
        }

        if (!TableName().IsMatch(options.ReminderTable ?? string.Empty))
        {
            errors.Add($"AzureStorage:ReminderTable '{options.ReminderTable}' is not a table name. Use 3 to 63 letters and digits, starting with a letter (default OrleansReminders).");
        }

        if (!TableName().IsMatch(options.StreamCheckpointTable ?? string.Empty))
        {
            errors.Add($"AzureStorage:StreamCheckpointTable '{options.StreamCheckpointTable}' is not a table name. Use 3 to 63 letters and digits, starting with a letter (default StreamCheckpoints).");
        }

        if (!ContainerName().IsMatch(options.GrainStateContainer ?? string.Empty) || options.GrainStateContainer!.Contains("--", StringComparison.Ordinal))
        {
            errors.Add($"AzureStorage:GrainStateContainer '{options.GrainStateContainer}' is not a container name. Use 3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit (default grainstate).");
        }

        if (redisConfigured)
        {
            errors.Add("Redis:ConnectionString is set, but Profile=azure keeps membership, grain state and stream checkpoints in Azure Storage and would not use it. Remove it, or run Profile=kafka for the Redis cluster.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ServiceUri(List<string> errors, string setting, Uri? uri, string service)
    {
        if (uri is null)
        {
            errors.Add($"AzureStorage:{setting} is empty. With service URIs set both: https://<account>.{service}.core.windows.net.");
        }
        else if (!uri.IsAbsoluteUri || uri.Scheme is not ("https" or "http"))
        {
            errors.Add($"AzureStorage:{setting} '{uri}' is not an absolute http(s) URI. Set https://<account>.{service}.core.windows.net.");
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TableName();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex ContainerName();
}
