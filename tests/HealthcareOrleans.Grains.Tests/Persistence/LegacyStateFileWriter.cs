using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Orleans.Serialization;

namespace HealthcareOrleans.Grains.Tests.Persistence;

/// <summary>
/// Writes grain states in the per-grain layout earlier versions of the storage left on disk (<c>root/name/stateName/
/// grainType/hh/key.state</c>: an 8-byte version, then the Orleans-serialized state; <c>hh</c> the first byte of the
/// SHA-256 of the key, and the key's hash in hex as the name when the key is not a safe file name), byte for byte as
/// they wrote it, so the import is tested against that format and not against itself.
/// </summary>
internal sealed class LegacyStateFileWriter(string root, string storageName, Serializer serializer)
{
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, TestGrainState<T> grainState)
    {
        var key = grainId.Key.ToString()!;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        var safe = key.Length is > 0 and <= 100 && key[0] != '.' && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
        var path = Path.Combine(root, storageName, stateName, grainId.Type.ToString()!, Convert.ToHexStringLower(hash.AsSpan(0, 1)), (safe ? key : Convert.ToHexStringLower(hash)) + ".state");
        var version = grainState.ETag is null ? 1 : long.Parse(grainState.ETag, System.Globalization.CultureInfo.InvariantCulture) + 1;
        var payload = serializer.SerializeToArray(grainState.State);
        var content = new byte[sizeof(long) + payload.Length];
        BinaryPrimitives.WriteInt64LittleEndian(content, version);
        payload.CopyTo(content, sizeof(long));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        grainState.ETag = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }
}
