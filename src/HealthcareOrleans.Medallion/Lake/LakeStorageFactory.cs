using Azure.Identity;
using Azure.Storage.Blobs;
using HealthcareOrleans.Lake.Storage;

namespace HealthcareOrleans.Medallion.Lake;

/// <summary>
/// The lake's storage as <see cref="LakeOptions"/> describe it: an Azure container when a connection string or a
/// service URI is set, else a local folder.
/// </summary>
public static class LakeStorageFactory
{
    public static ILakeStorage Create(LakeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var container = !string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new BlobContainerClient(options.ConnectionString, options.Container)
            : options.ServiceUri is { } service
                ? new BlobServiceClient(service, new DefaultAzureCredential()).GetBlobContainerClient(options.Container)
                : null;
        if (container is not null)
        {
            // Once at silo start-up: a missing container is created rather than failing every flush.
            container.CreateIfNotExists();
            return new AzureBlobLakeStorage(container);
        }

        if (string.IsNullOrWhiteSpace(options.Root))
        {
            throw new InvalidOperationException(LakeOptionsValidator.NoLocationMessage);
        }

        Directory.CreateDirectory(options.Root);
        return new LocalLakeStorage(options.Root);
    }
}
