namespace HealthcareOrleans.Contracts.Tests.Support;

/// <summary>The public test data beside the repository (<c>../shared/data</c>), never copied into it.</summary>
internal static class SharedData
{
    public static string Hl7V2 => Folder("hl7v2");

    public static string Folder(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HealthcareOrleans.sln")))
            {
                var path = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", name));
                return Directory.Exists(path) ? path : throw new DirectoryNotFoundException($"The shared test data is expected at {path}.");
            }
        }

        throw new InvalidOperationException($"HealthcareOrleans.sln not found above {AppContext.BaseDirectory}.");
    }
}
