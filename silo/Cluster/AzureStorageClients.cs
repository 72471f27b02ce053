using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using HealthcareOrleans.Silo.Configuration;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Silo.Cluster;

/// <summary>
/// One Blob and one Table client for the account of <see cref="AzureStorageOptions"/>, shared by membership, grain
/// state and stream checkpoints: built from the connection string, or from the service URIs with one
/// <c>DefaultAzureCredential</c> (its token cache is then shared too).
/// </summary>
public sealed class AzureStorageClients
{
    public AzureStorageClients(IOptions<AzureStorageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var azure = options.Value;
        if (azure.UsesConnectionString)
        {
            Blobs = new BlobServiceClient(azure.ConnectionString);
            Tables = new TableServiceClient(azure.ConnectionString);
        }
        else
        {
            TokenCredential credential = new DefaultAzureCredential();
            Blobs = new BlobServiceClient(azure.BlobServiceUri, credential);
            Tables = new TableServiceClient(azure.TableServiceUri, credential);
        }
    }

    public BlobServiceClient Blobs { get; }

    public TableServiceClient Tables { get; }
}
