using System.Globalization;
using Microsoft.Extensions.Logging;

namespace HealthcareOrleans.Persistence.GrainStateLog;

/// <summary>
/// The layout earlier versions wrote, one file per grain: <c>name/stateName/grainType/hh/key.state</c>, an 8-byte
/// version then the serialized state; <c>hh</c> is the first byte of the SHA-256 of the key, and a key that was not a
/// safe file name is replaced by that hash in hex. Imported into the log once, so an upgrade keeps every patient.
/// </summary>
internal static partial class LegacyStateFiles
{
    private const int VersionBytes = sizeof(long);

    public static void ImportOnce(string folder, GrainStateLog log, ILogger logger)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        var imported = 0;
        var writes = new List<Task<long>>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.state", SearchOption.AllDirectories))
        {
            var key = KeyOf(Path.GetRelativePath(folder, path))
                ?? throw new InvalidDataException($"'{path}' is not where the per-grain state layout puts a state; move it out of '{folder}' and start again.");
            var content = File.ReadAllBytes(path);
            if (content.Length < VersionBytes)
            {
                throw new InvalidDataException($"Grain state file '{path}' is truncated ({content.Length} bytes). Restore it from backup or delete it to rebuild the grain from the stream.");
            }

            // A log that already has the grain was written after an import that stopped before renaming the folder.
            if (log.Read(key).State is null)
            {
                writes.Add(log.WriteAsync(key, 0, content[VersionBytes..]));
                imported++;
            }
        }

        Task.WaitAll(writes);
        var aside = folder + ".imported-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        Directory.Move(folder, aside);
        LogImported(logger, imported, folder, aside);
    }

    /// <summary>The log key of a file at <c>stateName/grainType/hh/name.state</c>, or null for any other path.</summary>
    private static StateLogKey? KeyOf(string relativePath)
    {
        var parts = relativePath.Split(Path.DirectorySeparatorChar);
        if (parts.Length != 4 || parts[2].Length != 2 || !byte.TryParse(parts[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var folderByte))
        {
            return null;
        }

        var name = Path.GetFileNameWithoutExtension(parts[3]);
        var asKey = GrainStateLogStorage.KeyHash(name);

        // A hashed name is the hex of the hash itself; a key kept as the name hashes to the folder it sits in.
        // (A 64-hex-digit key whose own hash and hex both start with the folder byte would be taken as a key: 1 in 256 such keys.)
        if ((byte)asKey == folderByte)
        {
            return new StateLogKey(parts[0] + "/" + parts[1], asKey);
        }

        if (name.Length == 64 && name.All(Uri.IsHexDigit) && Convert.FromHexString(name) is var hash && hash[0] == folderByte)
        {
            return new StateLogKey(parts[0] + "/" + parts[1], System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash));
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Imported {Count} grain states from the per-grain files in {Folder} into the state log; the files are kept in {Aside} and can be deleted")]
    private static partial void LogImported(ILogger logger, int count, string folder, string aside);
}
