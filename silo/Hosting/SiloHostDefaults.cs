using HealthcareOrleans.Contracts.Engine;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Silo.Configuration;

namespace HealthcareOrleans.Silo.Hosting;

/// <summary>
/// What the silo must not take from the folder it was started in. Started as
/// <c>dotnet silo/bin/…/HealthcareOrleans.Silo.dll</c> from anywhere, it still finds its <c>appsettings.json</c> (the
/// content root is the binary's folder unless one is given), and its log levels never fall back to Information for
/// the components that write patient ids into their lines.
/// </summary>
public static class SiloHostDefaults
{
    /// <summary>
    /// Lowest configuration layer: appsettings.json, the environment and the command line still override it. ASP.NET
    /// Core logs every request path at Information (<c>/api/patients/&lt;id&gt;</c>), Orleans its grain and stream ids.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> LogLevels { get; } = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Orleans"] = "Warning",
        ["Logging:LogLevel:Orleans.Runtime.Silo"] = "Information",
        ["Logging:LogLevel:Polly"] = "Warning",
    };

    public static WebApplicationOptions Options(string[] args)
    {
        var given = new ConfigurationBuilder()
            .AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine(args)
            .Build()[HostDefaults.ContentRootKey];
        return new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = string.IsNullOrWhiteSpace(given) ? AppContext.BaseDirectory : null,
        };
    }

    public static void AddSafeLogLevels(ConfigurationManager configuration)
    {
        configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = LogLevels });
    }

    /// <summary>
    /// What every profile starts with: the safe log levels, HTTP on 127.0.0.1:8080 unless urls are given, the engine
    /// settings, owner-only permissions on the data folder (before anything writes there: it holds patient data) and
    /// the broker's durability statement for the status endpoint.
    /// </summary>
    public static EngineSettings ApplySiloDefaults(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddSafeLogLevels(builder.Configuration);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:8080");
        }

        var engine = EngineSettings.From(builder.Configuration);
        // The data folder 0700, every file this process creates 0600.
        OwnerOnlyFiles.Apply(engine.DataDirectory);
        builder.Services.AddSingleton(engine.Profile == EngineProfile.Embedded ? BrokerDurability.Embedded : BrokerDurability.External);
        return engine;
    }
}
