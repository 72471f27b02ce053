namespace HealthcareOrleans.Silo.Security;

/// <summary>
/// Cross-origin access is closed unless <c>Security:AllowedOrigins</c> lists origins (e.g. a Power BI or intranet
/// portal that embeds the data). Without the list no CORS policy exists, so browsers refuse every cross-origin read.
/// </summary>
public static class CorsSetup
{
    public const string PolicyName = "hc-allowed-origins";
    public const string Section = "Security:AllowedOrigins";

    public static WebApplicationBuilder AddPatientFlowCors(this WebApplicationBuilder builder)
    {
        var origins = AllowedOrigins(builder.Configuration);
        if (origins.Length > 0)
        {
            builder.Services.AddCors(cors => cors.AddPolicy(PolicyName, policy => policy
                .WithOrigins(origins)
                .WithMethods("GET")
                .WithHeaders(ApiKeyMiddleware.HeaderName, "Authorization")));
        }

        return builder;
    }

    /// <summary>Goes before the API key check: a browser's preflight carries no key and must still be answered.</summary>
    public static WebApplication UsePatientFlowCors(this WebApplication app)
    {
        if (AllowedOrigins(app.Configuration).Length > 0)
        {
            app.UseCors(PolicyName);
        }

        return app;
    }

    private static string[] AllowedOrigins(IConfiguration configuration)
    {
        var origins = configuration.GetSection(Section).Get<string[]>() ?? [];
        foreach (var origin in origins)
        {
            if (origin == "*" || !Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.AbsolutePath != "/")
            {
                throw new InvalidOperationException($"{Section} holds '{origin}'. List exact origins such as https://portal.example.org; '*' would hand patient data to any site.");
            }
        }

        return [.. origins.Select(o => o.TrimEnd('/'))];
    }
}
