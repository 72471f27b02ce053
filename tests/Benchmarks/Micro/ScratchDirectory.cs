namespace HealthcareOrleans.Benchmarks.Micro;

/// <summary>A fresh folder on the local disk's temp path for one benchmark process's tables, removed in its cleanup.</summary>
internal static class ScratchDirectory
{
    public static string Create(string area)
    {
        var path = Path.Combine(Path.GetTempPath(), $"hc-micro-{area}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }
}
