using Xunit;

namespace HealthcareOrleans.Testing;

/// <summary>
/// A test against Azurite's Blob and Table services, reached through HC_TEST_AZURITE_CONNECTION (tests/run.sh starts
/// Azurite and always sets it). Skipped, saying so, only when the variable is unset.
/// </summary>
public sealed class AzuriteFactAttribute : FactAttribute
{
    public const string Variable = "HC_TEST_AZURITE_CONNECTION";

    public AzuriteFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"{Variable} is not set: this test needs Azurite (Blob and Table). Run tests/run.sh, which starts it, or start Azurite and set {Variable} to a connection string with BlobEndpoint and TableEndpoint.";
        }
    }

    /// <summary>The connection string; a test fails here, with what to add, when the Table endpoint is missing.</summary>
    public static string ConnectionString
    {
        get
        {
            var value = Environment.GetEnvironmentVariable(Variable) ?? string.Empty;
            Assert.True(value.Contains("TableEndpoint=", StringComparison.OrdinalIgnoreCase),
                $"{Variable} has no TableEndpoint: add TableEndpoint=http://127.0.0.1:<table port>/devstoreaccount1; (tests/run.sh does).");
            return value;
        }
    }
}
