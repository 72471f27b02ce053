using HealthcareOrleans.Grains.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace HealthcareOrleans.Grains.Tests.Persistence;

/// <summary>A storage over a fresh folder per test, deleted afterwards, and the paths the tests look at.</summary>
public abstract class LocalFileGrainStorageTestBase : IDisposable
{
    protected static ServiceProvider Services { get; } = new ServiceCollection().AddSerializer().BuildServiceProvider();

    protected LocalFileGrainStorageTestBase()
    {
        Storage = NewStorage();
    }

    protected static GrainId Grain { get; } = GrainId.Create("patient", "P-1001");

    protected string Root { get; } = Path.Combine(Path.GetTempPath(), "hc-storage-tests-" + Guid.NewGuid().ToString("N"));

    protected LocalFileGrainStorage Storage { get; }

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    protected string[] Files() => Directory.Exists(Root) ? Directory.GetFiles(Root, "*", SearchOption.AllDirectories) : [];

    protected LocalFileGrainStorage NewStorage() =>
        new("patients", new LocalFileGrainStorageOptions { RootDirectory = Root, FlushToDisk = false }, Services.GetRequiredService<Serializer>());

    /// <summary>Where the storage's first version put a state file: existing data folders must keep reading.</summary>
    protected string FirstLayoutPath(string stateName, GrainId grainId)
    {
        var key = grainId.Key.ToString();
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key));
        var fileName = key.Length <= 100 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && key[0] != '.'
            ? key
            : Convert.ToHexStringLower(hash);
        return Path.GetFullPath(Path.Combine(Root, "patients", stateName, grainId.Type.ToString()!, Convert.ToHexStringLower(hash.AsSpan(0, 1)), fileName + ".state"));
    }
}
