using System.Text;
using Microsoft.Playwright;

namespace AIBrix.Gateway.Tests.Standalone;

/// <summary>The operator page in a real headless browser: Debian's Chromium driven by Playwright.</summary>
public class OperatorPageTests(StandaloneFixture fleet) : IClassFixture<StandaloneFixture>
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task OperatorPage_ShowsEndpointsAndLiveRoutingDecisions()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: `make test` installs Debian's chromium package (scripts/test-deps.sh)");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"],
        });
        var page = await browser.NewPageAsync();
        var external = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(fleet.Gateway.BaseAddress.ToString(), StringComparison.Ordinal))
            {
                external.Add(request.Url);
            }
        };

        await page.GotoAsync(fleet.Gateway.BaseAddress.ToString());
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#endpoints tbody tr').length === 4");
        var readyCells = await page.Locator("#endpoints tbody tr td.ok").AllTextContentsAsync();
        Assert.Equal(4, readyCells.Count(t => t == "ready"));

        using (var http = new HttpClient { BaseAddress = fleet.Gateway.BaseAddress })
        {
            using var response = await http.PostAsync("/v1/chat/completions", new StringContent(
                $$"""{"model":"{{StandaloneFixture.Model}}","messages":[{"role":"user","content":"page test"}],"max_tokens":3}""", Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
        }

        // The page refreshes by itself: the decision appears without a reload.
        await page.WaitForFunctionAsync($"() => [...document.querySelectorAll('#decisions tbody tr')].some(r => r.textContent.includes('{StandaloneFixture.Model}') && r.textContent.includes('least-request'))");
        Assert.Contains("updated", await page.Locator("#updated").TextContentAsync(), StringComparison.Ordinal);
        Assert.Empty(external);

        string shots = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(shots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "operator-page.png"), FullPage = true });
    }
}
