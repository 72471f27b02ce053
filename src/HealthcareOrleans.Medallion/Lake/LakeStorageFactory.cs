using Azure.Storage.Blobs;
using HealthcareOrleans.Lake.Storage;

namespace HealthcareOrleans.Medallion.Lake;

/// <summary>The lake's storage as <see cref="LakeOptions"/> describe it: an Azure container when a connection string is set, else a local folder.</summary>
public static class LakeStorageFactory
{
    public static ILakeStorage Create(LakeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            var container = new BlobContainerClient(options.ConnectionString, options.Container);
            // Once at silo start-up: a missing container is created rather than failing every flush.
            container.CreateIfNotExists();
            return new AzureBlobLakeStorage(container);
        }

        if (string.IsNullOrWhiteSpace(options.Root))
        {
            throw new InvalidOperationException("Lake:Root and Lake:ConnectionString are both empty. Set Lake:Root to a folder (e.g. ./data/lake) or Lake:ConnectionString.");
        }

        Directory.CreateDirectory(options.Root);
        return new LocalLakeStorage(options.Root);
    }
}
