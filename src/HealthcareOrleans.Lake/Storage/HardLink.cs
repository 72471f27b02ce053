using System.Runtime.InteropServices;

namespace HealthcareOrleans.Lake.Storage;

/// <summary>link(2) on Unix: creates a second name for a file, atomically failing when the name already exists.</summary>
internal static partial class HardLink
{
    private const int EEXIST = 17;

    /// <summary>True when created, false when <paramref name="link"/> already exists, null when the file system has no hard links.</summary>
    public static bool? TryCreate(string existing, string link)
    {
        if (Link(existing, link) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == EEXIST ? false : null;
    }

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string oldPath, string newPath);
}
