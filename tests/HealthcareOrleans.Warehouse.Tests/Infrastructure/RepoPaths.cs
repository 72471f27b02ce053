namespace HealthcareOrleans.Warehouse.Tests.Infrastructure;

/// <summary>The repository root, found from the test binaries upwards (the folder holding the .sln).</summary>
public static class RepoPaths
{
    public static string RepoRoot { get; } = Find();

    public static string Sql(string relative) => Path.Combine(RepoRoot, "sql", relative);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HealthcareOrleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("HealthcareOrleans.sln not found above " + AppContext.BaseDirectory);
    }
}
