using HealthcareOrleans.Lake.Storage;

namespace HealthcareOrleans.Pipeline.Tests.Support;

/// <summary>
/// Lake storage that fails chosen commits of one table: the writer has already written its data files, then the
/// put-if-absent of the log entry throws — a crash between "data written" and "committed".
/// </summary>
public sealed class CommitFailingStorage(ILakeStorage inner, string tablePath, IReadOnlySet<int> failCommitAttempts) : ILakeStorage
{
    private readonly string _logPrefix = tablePath.TrimEnd('/') + "/_delta_log/";
    private int _attempts;
    private int _failed;

    /// <summary>How many commits were made to fail.</summary>
    public int Failed => Volatile.Read(ref _failed);

    public string Location => inner.Location;

    public Task<byte[]> ReadAsync(string path, CancellationToken cancellationToken = default) => inner.ReadAsync(path, cancellationToken);

    public Task WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => inner.WriteAsync(path, content, cancellationToken);

    public Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        // Version 0 creates the table; the faults are for appends.
        if (path.StartsWith(_logPrefix, StringComparison.Ordinal) && path.EndsWith(".json", StringComparison.Ordinal) && !path.EndsWith("00000000000000000000.json", StringComparison.Ordinal)
            && failCommitAttempts.Contains(Interlocked.Increment(ref _attempts)))
        {
            Interlocked.Increment(ref _failed);
            throw new IOException($"Injected fault: the commit {path} was not written.");
        }

        return inner.PutIfAbsentAsync(path, content, cancellationToken);
    }

    public IAsyncEnumerable<LakeFileInfo> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

    public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken = default) => inner.DeleteAsync(path, cancellationToken);

    public Task<LakeFileInfo?> GetInfoAsync(string path, CancellationToken cancellationToken = default) => inner.GetInfoAsync(path, cancellationToken);
}
