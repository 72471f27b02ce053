namespace HealthcareOrleans.Contracts.Tests.Fhir;

/// <summary>The public test data beside the checkout (<c>../shared/data</c> from the repository root).</summary>
internal static class FhirData
{
    public static string Path(params string[] parts)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "HealthcareOrleans.sln")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            throw new DirectoryNotFoundException("The repository root (HealthcareOrleans.sln) is not above the test binaries.");
        }

        var path = System.IO.Path.Combine([directory.FullName, "..", "shared", "data", .. parts]);
        return Directory.Exists(path) || File.Exists(path) ? System.IO.Path.GetFullPath(path)
            : throw new DirectoryNotFoundException($"The shared test data is missing: {path}");
    }
}
