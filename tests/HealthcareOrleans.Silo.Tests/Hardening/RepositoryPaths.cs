namespace HealthcareOrleans.Silo.Tests.Hardening;

/// <summary>Build outputs of the silo and of <c>hc</c>, in the configuration these tests were built with.</summary>
public static class RepositoryPaths
{
    private static readonly string Configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string Root { get; } = FindRoot();

    public static string SiloAssembly => Existing(Path.Combine(Root, "silo", "bin", Configuration, "net10.0", "HealthcareOrleans.Silo.dll"));

    public static string ClientAssembly => Existing(Path.Combine(Root, "client", "bin", Configuration, "net10.0", "hc.dll"));

    private static string Existing(string path) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"{path} is not built: build the solution (or this test project) first.", path);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HealthcareOrleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No HealthcareOrleans.sln above {AppContext.BaseDirectory}.");
    }
}
