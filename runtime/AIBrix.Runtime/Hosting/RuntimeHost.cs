using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace AIBrix.Runtime;

/// <summary>
/// A started runtime (tests, the bench): <c>await using var runtime = await RuntimeHost.StartAsync(options);</c>, then
/// talk to <see cref="BaseAddress"/>. Port 0 in the options gets a free port from the OS.
/// </summary>
public sealed class RuntimeHost : IAsyncDisposable
{
    private RuntimeHost(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    /// <summary>Validates the options and starts the runtime.</summary>
    /// <exception cref="ArgumentException">The options are invalid (every problem listed).</exception>
    public static async Task<RuntimeHost> StartAsync(
        RuntimeOptions options,
        Action<IServiceCollection>? configureServices = null,
        Action<WebApplication>? mapRoutes = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        var app = RuntimeApp.Build(options, configureServices, mapRoutes);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new UriBuilder(address);
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "127.0.0.1";
        }

        return new RuntimeHost(app, new Uri(uri.Uri.GetLeftPart(UriPartial.Authority) + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
    }
}
