using Microsoft.Playwright;

namespace AIBrix.Gateway.Tests.Infrastructure;

/// <summary>Debian's Chromium driven by Playwright (no browser download), for the operator page tests.</summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        Playwright = playwright;
        Browser = browser;
    }

    public IPlaywright Playwright { get; }

    public IBrowser Browser { get; }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: `make test` installs Debian's chromium package (scripts/test-deps.sh)");
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"],
        });
        return new HeadlessChromium(playwright, browser);
    }

    /// <summary>
    /// How long a page action or wait may take before the test fails. Playwright's 30 s default is too short when
    /// `make test` runs every test assembly at once on two cores: the 1,024-endpoint page once needed more than
    /// 30 s there (8 s alone). No test asserts a duration; this only bounds how long a real hang takes to report.
    /// </summary>
    public static readonly TimeSpan ActionTimeout = TimeSpan.FromMinutes(2);

    /// <summary>A page 1,280 px wide (the width the page must fit without a horizontal scroll bar).</summary>
    public async Task<IPage> NewPageAsync(string? timezone = null)
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 }, TimezoneId = timezone });
        context.SetDefaultTimeout((float)ActionTimeout.TotalMilliseconds);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
    }
}
