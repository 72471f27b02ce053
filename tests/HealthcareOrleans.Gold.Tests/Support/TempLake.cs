using HealthcareOrleans.Lake.Storage;

namespace HealthcareOrleans.Gold.Tests.Support;

/// <summary>A lake in a temp folder, deleted at the end of the test.</summary>
internal sealed class TempLake : IDisposable
{
    public TempLake()
    {
        Root = Path.Combine(Path.GetTempPath(), "hc-gold-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Storage = new LocalLakeStorage(Root);
    }

    public string Root { get; }

    public ILakeStorage Storage { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file a failing test still holds open must not hide that test's own error.
        }
    }
}
