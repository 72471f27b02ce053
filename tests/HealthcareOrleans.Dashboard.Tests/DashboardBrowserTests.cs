using System.Diagnostics;
using System.Text.Json;
using HealthcareOrleans.Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace HealthcareOrleans.Dashboard.Tests;

/// <summary>The dashboard in Debian's Chromium against the real silo on a loopback port.</summary>
[Collection(SiloHostCollection.Name)]
public sealed class DashboardBrowserTests(SiloHost host) : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync() => (_playwright, _browser) = await Chromium.LaunchAsync();

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }

    [Fact]
    public async Task With_the_key_the_dashboard_shows_the_census_and_follows_new_events_without_a_reload()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(host.BaseAddress.ToString());
        await page.GetByLabel("API key").FillAsync(SiloHost.ApiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show the dashboard" }).ClickAsync();

        // The page and the API agree (both read the same grains; nothing produces meanwhile).
        JsonElement census = default;
        await Eventually.TrueAsync(async () =>
        {
            census = await host.CensusAsync();
            return await ShownAsync(page, "census-occupied") == census.GetProperty("occupied").GetInt32()
                && await ShownAsync(page, "census-beds") == census.GetProperty("beds").GetInt32()
                && await ShownAsync(page, "census-waiting") == census.GetProperty("waiting").GetInt32();
        }, TimeSpan.FromSeconds(15), () => "the dashboard's totals to equal GET /api/census");

        Assert.True(census.GetProperty("occupied").GetInt32() > 0, "The seeded hospital has patients in beds.");
        foreach (var ward in census.GetProperty("wards").EnumerateArray())
        {
            var row = page.Locator($"li[data-ward-id='{ward.GetProperty("ward_id").GetString()}']");
            Assert.Equal(ward.GetProperty("occupied").GetInt32(), Number(await row.GetByTestId("ward-occupied").TextContentAsync()));
            Assert.Equal(ward.GetProperty("beds").GetInt32(), Number(await row.GetByTestId("ward-beds").TextContentAsync()));
            Assert.Equal(ward.GetProperty("waiting").GetInt32(), Number(await row.GetByTestId("ward-waiting").TextContentAsync()));
        }

        // New events through the broker: the same page (no navigation) shows them within 2 s.
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");
        var occupiedBefore = census.GetProperty("occupied").GetInt32();
        var waitingBefore = census.GetProperty("waiting").GetInt32();
        var run = Guid.NewGuid().ToString("N")[..8];
        await host.ProduceAsync($"DASH-{run}-1", Events.Admit($"dash-{run}-1", $"DASH-{run}-1", "RGH-PAE", "RGH-PAE-B90"));
        await host.ProduceAsync($"DASH-{run}-2", Events.Arrival($"dash-{run}-2", $"DASH-{run}-2", "RGH-ED"));
        var produced = Stopwatch.StartNew();

        await page.WaitForFunctionAsync(
            "([occupied, waiting]) => document.querySelector('[data-testid=census-occupied]').textContent.replace(/\\D/g, '') == occupied && document.querySelector('[data-testid=census-waiting]').textContent.replace(/\\D/g, '') == waiting",
            new[] { occupiedBefore + 1, waitingBefore + 1 },
            new() { Timeout = 2000, PollingInterval = 50 });
        produced.Stop();

        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "The page was reloaded.");
        Assert.True(produced.Elapsed < TimeSpan.FromSeconds(2), $"The page took {produced.Elapsed.TotalMilliseconds:F0} ms to change.");

        await page.GetByLabel("Patient id").FillAsync($"DASH-{run}-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Look up" }).ClickAsync();
        await Assertions.Expect(page.Locator("#journey-rows")).ToContainTextAsync("RGH-PAE");

        var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        await page.ScreenshotAsync(new() { Path = Path.Combine(artifacts, "dashboard.png"), FullPage = true });
    }

    [Fact]
    public async Task Without_a_key_the_dashboard_asks_for_one_and_shows_no_data()
    {
        var page = await NewPageAsync();
        var feedAnswers = new List<int>();
        page.Response += (_, response) =>
        {
            if (response.Url.Contains("/api/", StringComparison.Ordinal))
            {
                feedAnswers.Add(response.Status);
            }
        };
        await page.GotoAsync(host.BaseAddress.ToString());

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to see patient flow" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#dashboard")).ToBeHiddenAsync();
        Assert.Equal(0, await page.Locator("li[data-ward-id]").CountAsync());
        Assert.Equal("–", await page.GetByTestId("census-occupied").TextContentAsync());
        Assert.Empty(feedAnswers);

        // A wrong key is refused by the server and the prompt comes back, still without data.
        await page.GetByLabel("API key").FillAsync("not-the-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show the dashboard" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not accepted");
        await Assertions.Expect(page.Locator("#dashboard")).ToBeHiddenAsync();
        Assert.Equal(0, await page.Locator("li[data-ward-id]").CountAsync());
        Assert.All(feedAnswers, status => Assert.Equal(401, status));
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('hc.apiKey')"));
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await _browser!.NewContextAsync(new() { ViewportSize = new() { Width = 1600, Height = 1000 }, Locale = "en-GB" });
        return await context.NewPageAsync();
    }

    private static async Task<int?> ShownAsync(IPage page, string testId) => Number(await page.GetByTestId(testId).TextContentAsync());

    private static int? Number(string? text)
    {
        var digits = new string((text ?? string.Empty).Where(char.IsAsciiDigit).ToArray());
        return digits.Length == 0 ? null : int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
    }
}
