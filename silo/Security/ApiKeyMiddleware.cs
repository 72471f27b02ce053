namespace HealthcareOrleans.Silo.Security;

/// <summary>
/// Patient data over HTTP needs a key: <c>X-Api-Key: &lt;key&gt;</c> or <c>Authorization: Bearer &lt;key&gt;</c>. Static
/// dashboard files are public (they hold no data); everything they show comes through the protected API.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyRing keys, ApiKeyOptions options)
{
    public const string HeaderName = "X-Api-Key";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!NeedsKey(context.Request.Path) || keys.Accepts(PresentedKey(context.Request)))
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await context.Response.WriteAsJsonAsync(new { error = $"An API key is required: send it as '{HeaderName}: <key>' or 'Authorization: Bearer <key>'." });
    }

    private bool NeedsKey(PathString path) =>
        path.StartsWithSegments("/api")
        || path.StartsWithSegments("/fhir")
        || (options.ProtectMetrics && path.StartsWithSegments("/metrics"))
        || (options.ProtectHealth && path.StartsWithSegments("/healthz"));

    private static ReadOnlySpan<char> PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out var header) && header.Count > 0)
        {
            return header[0];
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization.AsSpan(7) : [];
    }
}
