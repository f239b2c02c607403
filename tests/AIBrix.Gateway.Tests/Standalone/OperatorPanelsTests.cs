using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using AIBrix.Gateway.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AIBrix.Gateway.Tests.Standalone;

/// <summary>
/// The operator page in a real headless browser after real traffic through the gateway (<see cref="OperatorFleetFixture"/>):
/// every panel has data, the decision log explains and filters, times show with their date in UTC or local time,
/// the users view needs the admin token, and an endpoint opens into its details.
/// </summary>
public partial class OperatorPanelsTests(OperatorFleetFixture fleet) : IClassFixture<OperatorFleetFixture>
{
    [Fact]
    public async Task EveryPanel_RendersWithData_AfterRealTraffic_WithNoExternalRequestAndNoHorizontalScroll()
    {
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.NewPageAsync();
        var external = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(fleet.Gateway.BaseAddress.ToString(), StringComparison.Ordinal))
            {
                external.Add(request.Url);
            }
        };

        await page.GotoAsync(fleet.Gateway.BaseAddress.ToString());
        await page.WaitForFunctionAsync("() => document.getElementById('mode').textContent === 'standalone mode'");
        foreach (var chart in new[] { "requests", "ttft", "itl", "tokens" })
        {
            await page.WaitForFunctionAsync($"() => Number(document.getElementById('chart-{chart}').dataset.points) > 0 && document.querySelector('#chart-{chart} path.line')");
        }

        await page.WaitForFunctionAsync("() => document.querySelectorAll('#endpoints tbody tr').length === 4");
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#trends .trend')].filter(c => c.querySelector('svg.load path.line')).length === 4");
        await page.WaitForFunctionAsync("() => document.querySelector('#statuses').dataset.codes.split(',').includes('429')");
        Assert.Contains("404", (await page.Locator("#statuses").GetAttributeAsync("data-codes"))!.Split(','));

        // Limit refusals by user and kind; fallbacks by reason.
        var refusal = page.Locator("#refusals tbody tr").Filter(new() { HasText = "bob" });
        Assert.Equal(["bob", "requests"], (await refusal.Locator("td").AllTextContentsAsync()).Take(2));
        Assert.Contains("session-pod-unavailable", await page.Locator("#fallbacks tbody").TextContentAsync(), StringComparison.Ordinal);

        // The decision log explains: candidates, matched prefix blocks, load, the weighted score's parts, the fallback.
        string log = (await page.Locator("#decisions tbody").TextContentAsync())!;
        Assert.Matches(PrefixBlocks(), log);
        Assert.Contains("4 candidates", log, StringComparison.Ordinal);
        Assert.Contains("in flight", log, StringComparison.Ordinal);
        Assert.Matches(WeightedScore(), log);
        Assert.Contains("fallback: session-pod-unavailable", log, StringComparison.Ordinal);

        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "the page scrolls sideways at 1,280 px");
        Assert.Empty(external);

        string shots = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(shots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "operator-page-panels.png"), FullPage = true });
    }

    [Fact]
    public async Task DecisionFilters_ByStatusUserModelAndRequestId_ShowOnlyMatchingRows()
    {
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(fleet.Gateway.BaseAddress.ToString());
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#decisions tbody tr').length >= 10");
        var rows = page.Locator("#decisions tbody tr");

        await page.SelectOptionAsync("#f-status", "error");
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#decisions tbody tr')].every(r => Number(r.dataset.status) >= 400)");
        var statuses = await rows.EvaluateAllAsync<int[]>("rows => rows.map(r => Number(r.dataset.status))");
        Assert.Contains(429, statuses);
        Assert.Contains(404, statuses);
        Assert.DoesNotContain(200, statuses);

        await page.FillAsync("#f-user", "bob");
        await page.WaitForFunctionAsync("() => { const r = [...document.querySelectorAll('#decisions tbody tr')]; return r.length === 1 && r[0].cells[3].textContent === 'bob'; }");

        await page.FillAsync("#f-user", "");
        await page.SelectOptionAsync("#f-status", "");
        await page.FillAsync("#f-model", "no-such-model");
        await page.WaitForFunctionAsync("() => { const r = [...document.querySelectorAll('#decisions tbody tr')]; return r.length === 1 && r[0].dataset.status === '404'; }");

        await page.FillAsync("#f-model", "");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#decisions tbody tr').length >= 10");
        string id = (await rows.Nth(4).GetAttributeAsync("data-request-id"))!;
        await page.FillAsync("#f-request", id[2..^2].ToUpperInvariant());
        await page.WaitForFunctionAsync($"() => {{ const r = [...document.querySelectorAll('#decisions tbody tr')]; return r.length === 1 && r[0].dataset.requestId === '{id}'; }}");
    }

    [Fact]
    public async Task Times_ShowTheirDate_InUtcOrLocalTimeByTheToggle()
    {
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.NewPageAsync(timezone: "Asia/Kolkata");
        await page.GotoAsync(fleet.Gateway.BaseAddress.ToString());
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#decisions tbody tr').length > 0");
        string utc = (await page.Locator("#decisions tbody tr >> nth=0 >> td >> nth=0").TextContentAsync())!;
        Assert.Matches(UtcTime(), utc);

        await page.SelectOptionAsync("#tz", "local");
        await page.WaitForFunctionAsync("() => document.querySelector('#decisions tbody td').textContent.endsWith('UTC+05:30')");
        string local = (await page.Locator("#decisions tbody tr >> nth=0 >> td >> nth=0").TextContentAsync())!;
        Assert.Matches(LocalTime(), local);
    }

    [Fact]
    public async Task EndpointDrillDown_ShowsScrapeAgeEngineMetricsAndLoraAdapters()
    {
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(fleet.Gateway.BaseAddress.ToString());
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#endpoints tbody tr').length === 4");
        await page.ClickAsync("#endpoints tbody tr[data-endpoint=pod-0]");
        await page.WaitForFunctionAsync("() => !document.getElementById('drilldown').classList.contains('hidden') && document.getElementById('dd-name').textContent === 'pod-0'");

        string scrape = (await page.Locator("#dd-scrape").TextContentAsync())!;
        Assert.Matches(ScrapeAge(), scrape);
        Assert.Contains("LoRA adapters (config)sql-lora", scrape, StringComparison.Ordinal);
        string metrics = (await page.Locator("#dd-metrics").TextContentAsync())!;
        Assert.Matches(KvCache(), metrics);
        Assert.Matches(GenerationTokens(), metrics);
        await page.WaitForFunctionAsync("() => Number(document.getElementById('chart-dd-load').dataset.points) > 0");
    }

    [GeneratedRegex(@"prefix \d+/\d+ blocks")]
    private static partial Regex PrefixBlocks();

    [GeneratedRegex(@"score [0-9.]+ = prefix-cache [0-9.]+ \+ least-request [0-9.]+")]
    private static partial Regex WeightedScore();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$")]
    private static partial Regex UtcTime();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\+05:30$")]
    private static partial Regex LocalTime();

    [GeneratedRegex(@"scrape age\d+ ms")]
    private static partial Regex ScrapeAge();

    [GeneratedRegex(@"KV cache \(GPU\)\d+\.\d%")]
    private static partial Regex KvCache();

    [GeneratedRegex(@"generation tokens\d+")]
    private static partial Regex GenerationTokens();
}
