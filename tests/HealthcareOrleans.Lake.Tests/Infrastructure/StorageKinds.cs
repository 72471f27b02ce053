using HealthcareOrleans.Lake.Storage;

namespace HealthcareOrleans.Lake.Tests.Infrastructure;

/// <summary>Runs the same test on local disk and on Azurite.</summary>
public abstract class StorageTestBase(AzuriteFixture azurite) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public static TheoryData<string> Kinds => new() { "local", "azurite" };

    protected string TempPath => _temp.Path;

    protected async Task<ILakeStorage> StorageAsync(string kind) => kind switch
    {
        "local" => new LocalLakeStorage(Path.Combine(_temp.Path, "lake")),
        "azurite" => await azurite.CreateStorageAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown storage kind."),
    };

    public void Dispose()
    {
        _temp.Dispose();
        GC.SuppressFinalize(this);
    }
}
