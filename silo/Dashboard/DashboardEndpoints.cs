using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Silo.Dashboard;

/// <summary>
/// The live dashboard: static files at <c>/</c> (public: they hold no data) and the feed they read,
/// <c>/api/live</c>, a server-sent-events stream behind the same API key as the rest of <c>/api</c>. The page reads
/// the stream with <c>fetch</c> and the <c>X-Api-Key</c> header rather than <c>EventSource</c>, which cannot send
/// headers: a key in a query string would end up in browser history, proxy logs and request traces.
/// </summary>
public static partial class DashboardEndpoints
{
    public const string LivePath = "/api/live";

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LiveSnapshotSource>();
        return builder;
    }

    /// <summary>Static files first (before routing reaches the API), then the live feed.</summary>
    public static WebApplication MapDashboard(this WebApplication app)
    {
        var files = DashboardFiles(app.Environment);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context => SecureHeaders(context.Context.Response.Headers),
        });

        app.MapGet(LivePath, (LiveSnapshotSource source, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, ILoggerFactory loggers, CancellationToken aborted) =>
            TypedResults.ServerSentEvents(Stream(source, json.Value.SerializerOptions, loggers.CreateLogger(typeof(DashboardEndpoints)), aborted)));
        return app;
    }

    private static async IAsyncEnumerable<SseItem<string>> Stream(LiveSnapshotSource source, JsonSerializerOptions json, ILogger logger, [EnumeratorCancellation] CancellationToken aborted)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            SseItem<string> item;
            try
            {
                item = new SseItem<string>(JsonSerializer.Serialize(await source.GetAsync(), json), "snapshot");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The page keeps its last numbers and says they are stale; the stream carries on.
                LogSnapshotFailed(logger, ex);
                item = new SseItem<string>("{}", "unavailable");
            }

            yield return item;
        }
        while (await NextTick(timer, aborted));
    }

    private static async Task<bool> NextTick(PeriodicTimer timer, CancellationToken aborted)
    {
        try
        {
            return await timer.WaitForNextTickAsync(aborted);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The files beside the binary when there (a silo started from its build output), else the content root's.</summary>
    private static IFileProvider DashboardFiles(IWebHostEnvironment environment)
    {
        var besideBinary = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        return File.Exists(Path.Combine(besideBinary, "index.html")) ? new PhysicalFileProvider(besideBinary) : environment.WebRootFileProvider;
    }

    private static void SecureHeaders(IHeaderDictionary headers)
    {
        // Only our own scripts and styles, no framing (clickjacking), no referrer leaving the hospital network.
        headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The dashboard snapshot could not be built; the feed sends 'unavailable' and retries")]
    private static partial void LogSnapshotFailed(ILogger logger, Exception ex);
}
