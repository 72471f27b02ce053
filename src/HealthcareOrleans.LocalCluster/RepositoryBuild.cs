namespace HealthcareOrleans.LocalCluster;

/// <summary>
/// Where the repository is and the silo's and hc's build output in the same configuration as the calling program
/// (its bin/&lt;Configuration&gt;/net10.0): a local cluster runs the silo as a user does, from its own build folder.
/// </summary>
public static class RepositoryBuild
{
    // Found on first use, so a program outside the repository fails with the reason, not a type initialiser's error.
    private static readonly Lazy<string> FoundRoot = new(FindRoot);

    public static string Root => FoundRoot.Value;

    /// <summary>The configuration the calling program was built in (the name of its bin/&lt;Configuration&gt; folder).</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string SiloDll => Built(Path.Combine(Root, "silo", "bin", Configuration, "net10.0", "HealthcareOrleans.Silo.dll"), "silo");

    public static string ClientDll => Built(Path.Combine(Root, "client", "bin", Configuration, "net10.0", "hc.dll"), "client");

    public static string? OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);

    private static string Built(string path, string project) =>
        File.Exists(path)
            ? path
            : throw new InvalidOperationException($"The {project} is not built at {path}: run `dotnet build -c {Configuration} {project}` (or build the solution) first.");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HealthcareOrleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"A local cluster runs from the repository (it starts the silo from its build output): no HealthcareOrleans.sln above {AppContext.BaseDirectory}.");
    }
}
