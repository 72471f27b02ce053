using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace HealthcareOrleans.Lake.Storage;

/// <summary>
/// Lake storage in an Azure Blob Storage container; works against ADLS Gen2 accounts through their Blob endpoint
/// and against Azurite. An optional <c>rootPrefix</c> places the lake in a folder of the container.
/// </summary>
public sealed class AzureBlobLakeStorage : ILakeStorage
{
    private readonly BlobContainerClient _container;
    private readonly string _rootPrefix;

    public AzureBlobLakeStorage(BlobContainerClient container, string? rootPrefix = null)
    {
        _container = container ?? throw new ArgumentNullException(nameof(container));
        _rootPrefix = string.IsNullOrEmpty(rootPrefix) ? string.Empty : rootPrefix.Trim('/') + "/";
    }

    public string Location => _container.Uri + "/" + _rootPrefix;

    /// <summary>Connects with a connection string, creating the container if it does not exist.</summary>
    public static async Task<AzureBlobLakeStorage> ConnectAsync(string connectionString, string containerName, string? rootPrefix = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException("The Azure storage connection string is empty. Set --lake-connection or HC_LAKE_CONNECTION.", nameof(connectionString));
        }

        if (string.IsNullOrWhiteSpace(containerName))
        {
            throw new ArgumentException("The blob container name is empty. Name the container that holds the lake.", nameof(containerName));
        }

        BlobContainerClient container = new(connectionString, containerName);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return new AzureBlobLakeStorage(container, rootPrefix);
    }

    public async Task<byte[]> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            var result = await Blob(path).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return result.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new FileNotFoundException($"Blob '{path}' does not exist in {Location}.", path, e);
        }
    }

    public async Task WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        await Blob(path).UploadAsync(BinaryData.FromBytes(content), overwrite: true, cancellationToken).ConfigureAwait(false);

    public async Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        BlobUploadOptions options = new() { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } };
        try
        {
            await Blob(path).UploadAsync(BinaryData.FromBytes(content), options, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // 409 BlobAlreadyExists / 412 ConditionNotMet: another writer created this name first.
            return false;
        }
    }

    public async IAsyncEnumerable<LakeFileInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = _rootPrefix + prefix }, cancellationToken).ConfigureAwait(false))
        {
            yield return new LakeFileInfo(
                item.Name[_rootPrefix.Length..],
                item.Properties.ContentLength ?? 0,
                item.Properties.LastModified ?? DateTimeOffset.MinValue);
        }
    }

    public async Task<bool> DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        var response = await Blob(path).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.Value;
    }

    public async Task<LakeFileInfo?> GetInfoAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            var properties = await Blob(path).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return new LakeFileInfo(path, properties.Value.ContentLength, properties.Value.LastModified);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private BlobClient Blob(string path) => _container.GetBlobClient(_rootPrefix + path.TrimStart('/'));
}
