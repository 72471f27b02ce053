using HealthcareOrleans.Medallion.Lake;
using HealthcareOrleans.Silo.Configuration;
using HealthcareOrleans.Silo.Hosting;

namespace HealthcareOrleans.Silo.Tests.Configuration;

/// <summary>What a Profile=azure silo says at start when its storage settings are missing or wrong.</summary>
public sealed class AzureProfileOptionsTests
{
    private const string Azurite = "UseDevelopmentStorage=true";
    private static readonly Uri Blob = new("https://hcaccount.blob.core.windows.net");
    private static readonly Uri Table = new("https://hcaccount.table.core.windows.net");

    private static IReadOnlyList<string> Errors(AzureStorageOptions options, bool redisConfigured = false)
    {
        var result = new AzureStorageOptionsValidator(redisConfigured).Validate(null, options);
        return result.Failed ? [.. result.Failures] : [];
    }

    [Fact]
    public void No_account_at_all_names_both_ways_to_set_one()
    {
        var error = Assert.Single(Errors(new AzureStorageOptions()));
        Assert.Contains("AzureStorage:ConnectionString", error, StringComparison.Ordinal);
        Assert.Contains("AzureStorage:BlobServiceUri and AzureStorage:TableServiceUri", error, StringComparison.Ordinal);
        Assert.Contains("DefaultAzureCredential", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_string_alone_or_both_service_uris_alone_are_accepted()
    {
        Assert.Empty(Errors(new AzureStorageOptions { ConnectionString = Azurite }));
        Assert.Empty(Errors(new AzureStorageOptions { BlobServiceUri = Blob, TableServiceUri = Table }));
    }

    [Fact]
    public void A_connection_string_and_service_uris_together_are_refused_as_ambiguous()
    {
        var error = Assert.Single(Errors(new AzureStorageOptions { ConnectionString = Azurite, BlobServiceUri = Blob, TableServiceUri = Table }));
        Assert.Contains("are both set. Set one", error, StringComparison.Ordinal);
    }

    [Fact]
    public void One_service_uri_without_the_other_names_the_missing_one_and_its_form()
    {
        var error = Assert.Single(Errors(new AzureStorageOptions { BlobServiceUri = Blob }));
        Assert.Equal("AzureStorage:TableServiceUri is empty. With service URIs set both: https://<account>.table.core.windows.net.", error);
        error = Assert.Single(Errors(new AzureStorageOptions { TableServiceUri = Table }));
        Assert.Equal("AzureStorage:BlobServiceUri is empty. With service URIs set both: https://<account>.blob.core.windows.net.", error);
    }

    [Theory]
    [InlineData("hcaccount.blob.core.windows.net")]
    [InlineData("ftp://hcaccount.blob.core.windows.net")]
    public void A_service_uri_that_is_not_absolute_http_is_refused(string uri)
    {
        var given = new Uri(uri, UriKind.RelativeOrAbsolute);
        var error = Assert.Single(Errors(new AzureStorageOptions { BlobServiceUri = given, TableServiceUri = Table }));
        Assert.Equal($"AzureStorage:BlobServiceUri '{given}' is not an absolute http(s) URI. Set https://<account>.blob.core.windows.net.", error);
    }

    [Theory]
    [InlineData("ClusteringTable", "silo-instances")]
    [InlineData("ClusteringTable", "1silos")]
    [InlineData("StreamCheckpointTable", "ab")]
    [InlineData("ReminderTable", "reminders_table")]
    [InlineData("GrainStateContainer", "GrainState")]
    [InlineData("GrainStateContainer", "grain--state")]
    [InlineData("GrainStateContainer", "-grainstate")]
    public void Names_the_storage_service_would_refuse_are_refused_at_start_with_the_rule(string setting, string value)
    {
        var options = new AzureStorageOptions { ConnectionString = Azurite };
        typeof(AzureStorageOptions).GetProperty(setting)!.SetValue(options, value);

        var error = Assert.Single(Errors(options));
        Assert.StartsWith($"AzureStorage:{setting} '{value}' is not a", error, StringComparison.Ordinal);
        Assert.Contains(setting == "GrainStateContainer" ? "lower-case letters, digits and single hyphens" : "3 to 63 letters and digits, starting with a letter", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_redis_connection_string_in_the_azure_profile_is_refused_rather_than_silently_ignored()
    {
        var error = Assert.Single(Errors(new AzureStorageOptions { ConnectionString = Azurite }, redisConfigured: true));
        Assert.Contains("Redis:ConnectionString is set, but Profile=azure", error, StringComparison.Ordinal);
        Assert.Contains("Profile=kafka", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_lake_goes_to_the_profiles_account_unless_its_own_section_names_a_place()
    {
        var byKey = new LakeOptions();
        AzureProfile.DefaultLakeToAccount(byKey, new AzureStorageOptions { ConnectionString = Azurite });
        Assert.Equal(Azurite, byKey.ConnectionString);

        var byIdentity = new LakeOptions();
        AzureProfile.DefaultLakeToAccount(byIdentity, new AzureStorageOptions { BlobServiceUri = Blob, TableServiceUri = Table });
        Assert.Equal(Blob, byIdentity.ServiceUri);
        Assert.Null(byIdentity.ConnectionString);

        var folder = new LakeOptions { Root = "/srv/lake" };
        AzureProfile.DefaultLakeToAccount(folder, new AzureStorageOptions { ConnectionString = Azurite });
        Assert.Null(folder.ConnectionString);

        var ownAccount = new LakeOptions { ServiceUri = new Uri("https://datalake.blob.core.windows.net") };
        AzureProfile.DefaultLakeToAccount(ownAccount, new AzureStorageOptions { ConnectionString = Azurite });
        Assert.Null(ownAccount.ConnectionString);
        Assert.Equal("datalake.blob.core.windows.net", ownAccount.ServiceUri.Host);
    }

    [Fact]
    public void The_lake_validator_names_the_service_uri_among_the_places_and_refuses_a_relative_one()
    {
        var none = new LakeOptionsValidator().Validate(null, new LakeOptions());
        Assert.Contains(none.Failures!, f => f.Contains("Lake:ServiceUri", StringComparison.Ordinal) && f.Contains("Lake:Root", StringComparison.Ordinal));

        var relative = new LakeOptionsValidator().Validate(null, new LakeOptions { ServiceUri = new Uri("lake", UriKind.Relative) });
        Assert.Contains(relative.Failures!, f => f.StartsWith("Lake:ServiceUri 'lake' is not an absolute http(s) URI", StringComparison.Ordinal));

        Assert.True(new LakeOptionsValidator().Validate(null, new LakeOptions { ServiceUri = Blob }).Succeeded);
    }
}
