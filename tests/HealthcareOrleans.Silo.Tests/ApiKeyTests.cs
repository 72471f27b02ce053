using HealthcareOrleans.Silo.Security;
using Microsoft.AspNetCore.Http;

namespace HealthcareOrleans.Silo.Tests;

public sealed class ApiKeyTests
{
    [Fact]
    public void The_ring_accepts_each_configured_key_and_nothing_else()
    {
        var ring = new ApiKeyRing(["first-key", "second-key"]);

        Assert.True(ring.Accepts("first-key"));
        Assert.True(ring.Accepts("second-key"));
        Assert.False(ring.Accepts("first-ke"));
        Assert.False(ring.Accepts("first-key-and-more"));
        Assert.False(ring.Accepts(""));
    }

    [Fact]
    public void A_ring_without_keys_refuses_to_start_with_a_clear_message()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ApiKeyRing([" ", ""]));
        Assert.Contains("Security__ApiKeys__0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_embedded_profile_generates_one_key_and_finds_it_again_on_the_next_start()
    {
        var directory = Directory.CreateTempSubdirectory("hc-key-").FullName;
        try
        {
            var (first, file) = ApiKeyRing.Create(new ApiKeyOptions(), null, directory, mayGenerate: true);
            var key = File.ReadAllText(file!);
            var (second, _) = ApiKeyRing.Create(new ApiKeyOptions(), null, directory, mayGenerate: true);

            Assert.True(key.Length >= 40);
            Assert.True(first.Accepts(key));
            Assert.True(second.Accepts(key));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file!));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Outside_the_embedded_profile_a_missing_key_is_an_error_not_a_generated_secret()
    {
        Assert.Throws<InvalidOperationException>(() => ApiKeyRing.Create(new ApiKeyOptions(), null, Path.GetTempPath(), mayGenerate: false));
    }

    [Theory]
    [InlineData("/api/census", null, null, 401)]
    [InlineData("/api/census", "X-Api-Key", "wrong", 401)]
    [InlineData("/api/census", "X-Api-Key", "secret-key", 200)]
    [InlineData("/api/patients/P1", "Authorization", "Bearer secret-key", 200)]
    [InlineData("/api/patients/P1", "Authorization", "Basic secret-key", 401)]
    [InlineData("/healthz", null, null, 200)]
    [InlineData("/metrics", null, null, 200)]
    [InlineData("/index.html", null, null, 200)]
    public async Task Patient_data_needs_a_key_and_the_open_endpoints_stay_open(string path, string? header, string? value, int expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        if (header is not null)
        {
            context.Request.Headers[header] = value;
        }

        var reached = false;
        var middleware = new ApiKeyMiddleware(_ => { reached = true; return Task.CompletedTask; }, new ApiKeyRing(["secret-key"]), new ApiKeyOptions());
        await middleware.InvokeAsync(context);

        Assert.Equal(expected, reached ? 200 : context.Response.StatusCode);
    }

    [Fact]
    public async Task Health_and_metrics_can_be_protected_too()
    {
        var options = new ApiKeyOptions { ProtectHealth = true, ProtectMetrics = true };
        foreach (var path in new[] { "/healthz", "/metrics" })
        {
            var context = new DefaultHttpContext();
            context.Request.Path = path;
            context.Response.Body = new MemoryStream();
            await new ApiKeyMiddleware(_ => Task.CompletedTask, new ApiKeyRing(["k"]), options).InvokeAsync(context);
            Assert.Equal(401, context.Response.StatusCode);
        }
    }
}
