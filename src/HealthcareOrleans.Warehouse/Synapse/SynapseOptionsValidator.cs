using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Warehouse.Synapse;

/// <summary>Fails at start-up with what to set, rather than at the first load.</summary>
public sealed class SynapseOptionsValidator : IValidateOptions<SynapseOptions>
{
    public const int MinimumBatchRows = 102_400;

    public ValidateOptionsResult Validate(string? name, SynapseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> errors = [];
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add("Warehouse:Synapse:ConnectionString is empty. Set it to \"Server=tcp:<workspace>.sql.azuresynapse.net,1433;Database=<pool>;Encrypt=True\", or use Warehouse:Kind=DuckDb.");
        }
        else
        {
            try
            {
                var builder = new SqlConnectionStringBuilder(options.ConnectionString);
                if (string.IsNullOrWhiteSpace(builder.DataSource) || string.IsNullOrWhiteSpace(builder.InitialCatalog))
                {
                    errors.Add("Warehouse:Synapse:ConnectionString needs Server and Database (the dedicated SQL pool's name).");
                }

                if (options.Authentication == SynapseAuthentication.EntraDefault && (!string.IsNullOrEmpty(builder.Password) || builder.Authentication != SqlAuthenticationMethod.NotSpecified))
                {
                    errors.Add("Warehouse:Synapse:Authentication is EntraDefault, so the connection string must carry no Password or Authentication keyword. Remove them, or set Authentication=ConnectionString.");
                }
            }
            catch (ArgumentException e)
            {
                errors.Add($"Warehouse:Synapse:ConnectionString cannot be parsed: {e.Message}");
            }
        }

        if (options.LoadPath == SynapseLoadPath.CopyInto &&
            (!Uri.TryCreate(options.LakeUrl, UriKind.Absolute, out var lake) || lake.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add("Warehouse:Synapse:LakeUrl must be the lake root as an https URL (https://<account>.dfs.core.windows.net/<container>) for LoadPath=CopyInto; or set LoadPath=BulkCopy.");
        }

        if (options.CopyFilesPerStatement is < 1 or > 10_000)
        {
            errors.Add("Warehouse:Synapse:CopyFilesPerStatement must be between 1 and 10000.");
        }

        if (options.BulkCopyBatchRows < MinimumBatchRows)
        {
            errors.Add($"Warehouse:Synapse:BulkCopyBatchRows must be at least {MinimumBatchRows:N0}: smaller batches land in uncompressed delta rowgroups.");
        }

        if (options.CommandTimeout <= TimeSpan.Zero)
        {
            errors.Add("Warehouse:Synapse:CommandTimeout must be positive (e.g. 00:30:00).");
        }

        if (options.MaxRetries is < 0 or > 20)
        {
            errors.Add("Warehouse:Synapse:MaxRetries must be between 0 and 20.");
        }

        if (options.RetryBaseDelay <= TimeSpan.Zero || options.RetryMaxDelay < options.RetryBaseDelay)
        {
            errors.Add("Warehouse:Synapse:RetryBaseDelay must be positive and RetryMaxDelay at least as long.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
