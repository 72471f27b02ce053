namespace HealthcareOrleans.Lake.Tests.Infrastructure;

/// <summary>Locates the repository root (the folder with HealthcareOrleans.sln) and the shared data beside it.</summary>
internal static class RepoPaths
{
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "HealthcareOrleans.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException($"HealthcareOrleans.sln not found above {AppContext.BaseDirectory}.");
        }
    }

    public static string GoldenTables
    {
        get
        {
            var path = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data", "delta-golden"));
            return Directory.Exists(path)
                ? path
                : throw new DirectoryNotFoundException($"The Delta golden tables are expected at {path} (shared/ beside the repository).");
        }
    }

    /// <summary>Copies a golden table into a fresh temp folder (the originals are read-only).</summary>
    public static string CopyGolden(string table, TempDirectory target)
    {
        var source = Path.Combine(GoldenTables, table);
        var destination = Path.Combine(target.Path, table);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
            File.SetAttributes(copy, FileAttributes.Normal);
        }

        return destination;
    }
}
