using HealthcareOrleans.Silo.Configuration;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Silo.Security;

/// <summary>The key ring built from <see cref="ApiKeyOptions"/>, and the file its key was generated into, if it was.</summary>
public sealed record ApiKeys(ApiKeyRing Ring, string? GeneratedKeyFile);

public static class ApiKeyExtensions
{
    /// <summary>
    /// Who may call the HTTP API: the keys of section <c>Security</c> and <c>HC_API_KEY</c>; in the embedded profile
    /// with neither, one generated on first start (see <see cref="ApiKeyRing.Create"/>). Checked when the host starts.
    /// </summary>
    public static WebApplicationBuilder AddApiKeys(this WebApplicationBuilder builder, EngineSettings engine)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(engine);
        var services = builder.Services;
        var mayGenerate = engine.Profile == EngineProfile.Embedded;
        services.AddOptions<ApiKeyOptions>()
            .Bind(builder.Configuration.GetSection(ApiKeyOptions.Section))
            .Validate<IConfiguration>(
                (o, configuration) => mayGenerate || o.ApiKeys.Append(configuration["HC_API_KEY"]).Any(k => !string.IsNullOrWhiteSpace(k)),
                "No API key is configured. Set Security__ApiKeys__0 (or HC_API_KEY), e.g. from a Kubernetes secret.")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ApiKeyOptions>>().Value);
        services.AddSingleton(sp =>
        {
            var (ring, generatedKeyFile) = ApiKeyRing.Create(
                sp.GetRequiredService<ApiKeyOptions>(), sp.GetRequiredService<IConfiguration>()["HC_API_KEY"], engine.DataDirectory,
                mayGenerate);
            return new ApiKeys(ring, generatedKeyFile);
        });
        services.AddSingleton(sp => sp.GetRequiredService<ApiKeys>().Ring);
        return builder;
    }
}
