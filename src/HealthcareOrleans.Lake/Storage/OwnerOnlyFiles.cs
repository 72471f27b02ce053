using System.Runtime.InteropServices;

namespace HealthcareOrleans.Lake.Storage;

/// <summary>
/// Patient data on local disk is readable by its owner only. Bronze payloads carry birth dates and postal codes, and
/// the lake, the warehouse, the grain-state logs and the checkpoints are written by several libraries (our own
/// writers, DuckDB, librdkafka), so the rule is set where every one of them inherits it: the process's umask
/// (new folders 0700, new files 0600), and the data folder itself is closed to others whatever it held before.
/// </summary>
public static partial class OwnerOnlyFiles
{
    /// <summary>Group and others get no permission bits on anything this process creates from now on.</summary>
    private const uint OwnerOnlyMask = 0b000_111_111; // 077

    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Sets the umask to 077: group and others get no permission bits on what this process creates.</summary>
    public static void RestrictNewFiles()
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = SetUmask(OwnerOnlyMask);
        }
    }

    /// <summary>Restricts new files and creates (or closes) <paramref name="dataDirectory"/> as 0700.</summary>
    public static void Apply(string dataDirectory)
    {
        RestrictNewFiles();
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dataDirectory);
            return;
        }

        Directory.CreateDirectory(dataDirectory, FolderMode);
        try
        {
            // A folder left by an earlier version may be 0755: closing it closes everything below it.
            File.SetUnixFileMode(dataDirectory, FolderMode);
        }
        catch (UnauthorizedAccessException)
        {
            // Someone else's folder (a mounted volume): its owner decides; what we create in it is still 0600.
            Console.Error.WriteLine($"warning: {dataDirectory} belongs to another user, so its permissions were left as they are; files created in it are owner-only.");
        }
    }

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint SetUmask(uint mask);
}
