using System.ComponentModel;
using System.Runtime.InteropServices;

namespace HealthcareOrleans.Persistence.GrainStateLog;

/// <summary>
/// fsync(2) of a directory on Unix, which .NET cannot open as a file: a file created or deleted there is durable only
/// once the directory's entry for it is.
/// </summary>
internal static partial class DirectorySync
{
    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(directory, 0);
        if (fd < 0)
        {
            throw new IOException($"Could not open folder '{directory}' to flush it.", new Win32Exception(Marshal.GetLastPInvokeError()));
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"Could not flush folder '{directory}' to disk.", new Win32Exception(Marshal.GetLastPInvokeError()));
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
