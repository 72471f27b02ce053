using HealthcareOrleans.Lake.Storage;

namespace HealthcareOrleans.Warehouse.Tests.Infrastructure;

/// <summary>
/// Stand-in for Azure Blob lake storage (a fake for what this machine's DuckDB cannot read directly): forwards to a
/// local lake but is not a <see cref="LocalLakeStorage"/>, so the DuckDB loader reads through the lake library.
/// </summary>
public sealed class NotLocalLakeStorage(ILakeStorage inner) : ILakeStorage
{
    public string Location => "not-local:" + inner.Location;

    public Task<byte[]> ReadAsync(string path, CancellationToken cancellationToken = default) => inner.ReadAsync(path, cancellationToken);

    public Task WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => inner.WriteAsync(path, content, cancellationToken);

    public Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => inner.PutIfAbsentAsync(path, content, cancellationToken);

    public IAsyncEnumerable<LakeFileInfo> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

    public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken = default) => inner.DeleteAsync(path, cancellationToken);

    public Task<LakeFileInfo?> GetInfoAsync(string path, CancellationToken cancellationToken = default) => inner.GetInfoAsync(path, cancellationToken);
}
