using System.Globalization;
using System.Text;

namespace HealthcareOrleans.Streaming.Kafka.Checkpointing;

/// <summary>
/// One small text file per partition under a directory, replaced atomically (write a temporary file, flush it to
/// disk, rename over the old one) so that a crash leaves either the old or the new offset, never a torn file.
/// Shared between silos only if they share the directory; one machine's disk is the usual case.
/// </summary>
public sealed class FilePartitionCheckpointStore : IPartitionCheckpointStore
{
    private readonly string _directory;

    public FilePartitionCheckpointStore(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(_directory);
    }

    public string Root => _directory;

    public string PathFor(PartitionCheckpointKey key) =>
        Path.Combine(_directory, $"{Escape(key.ProviderName)}@{Escape(key.Topic)}@{key.Partition.ToString(CultureInfo.InvariantCulture)}.offset");

    public async ValueTask<long?> LoadAsync(PartitionCheckpointKey key, CancellationToken cancellationToken)
    {
        var path = PathFor(key);
        if (!File.Exists(path))
        {
            return null;
        }

        var text = await File.ReadAllTextAsync(path, Encoding.ASCII, cancellationToken).ConfigureAwait(false);
        if (!long.TryParse(text.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            throw new InvalidDataException(
                $"Checkpoint file '{path}' does not hold an offset. Delete it to restart the partition from the configured start position.");
        }

        return offset;
    }

    public async ValueTask SaveAsync(PartitionCheckpointKey key, long nextOffset, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nextOffset);
        var path = PathFor(key);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64, FileOptions.Asynchronous))
            {
                var bytes = Encoding.ASCII.GetBytes(nextOffset.ToString(CultureInfo.InvariantCulture));
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                // Durable before the rename: otherwise a power cut can leave the new name pointing at empty data.
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    // Percent-encoding keeps distinct names distinct (and '@' free for the separator) whatever characters they use.
    private static string Escape(string name) => Uri.EscapeDataString(name);
}
