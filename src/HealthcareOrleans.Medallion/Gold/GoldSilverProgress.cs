using System.Text.Json;
using HealthcareOrleans.Lake.Storage;

namespace HealthcareOrleans.Medallion.Gold;

/// <summary>
/// The Silver version whose patients Gold has been written for, kept in the lake beside the Gold tables (one small
/// file, replaced atomically by the single Gold committer). Durable where the in-memory change marks are not: after
/// a crash or a stop, every patient Silver holds past this version is flushed to Gold again.
/// </summary>
public static class GoldSilverProgress
{
    public const string Path = "gold/_silver_progress.json";

    public static async Task<long> ReadAsync(ILakeStorage storage, CancellationToken cancellationToken)
    {
        try
        {
            var content = await storage.ReadAsync(Path, cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Deserialize<Progress>(content)?.SilverVersion ?? 0;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    }

    public static Task WriteAsync(ILakeStorage storage, long silverVersion, CancellationToken cancellationToken) =>
        storage.WriteAsync(Path, JsonSerializer.SerializeToUtf8Bytes(new Progress(silverVersion)), cancellationToken);

    private sealed record Progress([property: System.Text.Json.Serialization.JsonPropertyName("silver_version")] long SilverVersion);
}
