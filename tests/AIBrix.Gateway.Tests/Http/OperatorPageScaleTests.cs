using AIBrix.Gateway.Core.Processing;
using AIBrix.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AIBrix.Gateway.Tests.Http;

/// <summary>
/// The operator page on the ext_proc gateway's side port, at a large fleet's size: 1,024 endpoints and 10,000 kept
/// decisions. It must render and apply a filter within the tests' usual timeouts (no timing is asserted beyond that).
/// </summary>
public class OperatorPageScaleTests
{
    [Fact]
    public async Task ExtProcSidePort_1024EndpointsAnd10000Decisions_RendersAndFilters()
    {
        // 1,024 endpoints on loopback ports nothing listens on: listed, scraped (and refused) like any, never ready.
        var addresses = Enumerable.Range(0, 1024).Select(i => $"127.0.0.1:{1 + i}");
        string config = GatewayTestHost.ConfigFor(addresses, "big-model").Replace("scrapeIntervalMs: 50", "scrapeIntervalMs: 5000", StringComparison.Ordinal);
        var time = TimeProvider.System;
        var log = new RoutingDecisionLog(time, capacity: 10_000);
        await using var gateway = await GatewayTestHost.StartAsync(config, waitUntilReady: false, configureServices: s => s.AddSingleton(log));
        var start = time.GetUtcNow().AddMinutes(-10);
        for (int i = 0; i < 10_000; i++)
        {
            log.Add(new RoutingDecision(start.AddMilliseconds(60 * i), $"req-{i:D5}", i % 2 == 0 ? "big-model" : "other-model", "prefix-cache", $"pod-{i % 1024}", "cached", RequestOutcome.Completed, i % 10 == 0 ? 429 : 200)
            {
                User = $"user-{i % 10}",
                Candidates = 1024,
                Load = i % 7,
                MatchedBlocks = i % 5,
                PromptBlocks = 8,
            });
        }

        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(gateway.BaseAddress.ToString());
        await page.WaitForFunctionAsync("() => document.getElementById('mode').textContent === 'extproc mode'");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#endpoints tbody tr').length === 1024");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#decisions tbody tr').length === 200");
        Assert.Contains("of 10000 matching", await page.Locator("#decision-count").TextContentAsync(), StringComparison.Ordinal);

        await page.FillAsync("#f-user", "user-3");
        await page.WaitForFunctionAsync("() => document.getElementById('decision-count').textContent.includes('of 1000 matching')");
        var users = await page.Locator("#decisions tbody tr td:nth-child(4)").AllTextContentsAsync();
        Assert.Equal(200, users.Count);
        Assert.All(users, u => Assert.Equal("user-3", u));

        await page.FillAsync("#endpoint-filter", "pod-1023");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#endpoints tbody tr').length === 1");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "the page scrolls sideways at 1,280 px");
    }
}
