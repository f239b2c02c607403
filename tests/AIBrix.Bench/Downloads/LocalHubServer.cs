using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AIBrix.Bench.Downloads;

/// <summary>
/// A static Hugging Face Hub on loopback for the download benchmark: serves one repository (<c>bench/model</c>)
/// from a folder on disk, its listing (<c>/api/models/bench/model/revision/main</c>, with LFS SHA-256s when asked)
/// and its files (<c>/bench/model/resolve/main/{file}</c>) with Range, through sendfile.
/// </summary>
internal sealed class LocalHubServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalHubServer(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    public static async Task<LocalHubServer> StartAsync(string folder, bool checksums)
    {
        string[] files = Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        var siblings = files.Select(f => new
        {
            rfilename = f,
            size = new FileInfo(Path.Combine(folder, f)).Length,
            lfs = checksums ? new { sha256 = Sha256Of(Path.Combine(folder, f)), size = new FileInfo(Path.Combine(folder, f)).Length } : null,
        }).ToArray();
        string listing = JsonSerializer.Serialize(new { id = "bench/model", sha = "main", siblings });

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        app.Run(async context =>
        {
            string path = context.Request.Path.Value ?? "";
            if (path == "/api/models/bench/model/revision/main")
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(listing);
                return;
            }

            const string resolve = "/bench/model/resolve/main/";
            string name = path.StartsWith(resolve, StringComparison.Ordinal) ? Uri.UnescapeDataString(path[resolve.Length..]) : "";
            if (!files.Contains(name))
            {
                context.Response.StatusCode = 404;
                return;
            }

            string file = Path.Combine(folder, name);
            long size = new FileInfo(file).Length;
            long from = 0;
            long to = size - 1;
            string range = context.Request.Headers.Range.ToString();
            context.Response.Headers.AcceptRanges = "bytes";
            if (range.StartsWith("bytes=", StringComparison.Ordinal))
            {
                string[] ends = range["bytes=".Length..].Split('-');
                from = long.Parse(ends[0], CultureInfo.InvariantCulture);
                to = ends[1].Length > 0 ? Math.Min(to, long.Parse(ends[1], CultureInfo.InvariantCulture)) : to;
                context.Response.StatusCode = 206;
                context.Response.Headers.ContentRange = $"bytes {from}-{to}/{size}";
            }

            context.Response.ContentLength = to - from + 1;
            context.Response.ContentType = "application/octet-stream";
            await context.Response.SendFileAsync(file, from, to - from + 1);
        });
        await app.StartAsync();
        return new LocalHubServer(app) { Endpoint = new Uri(app.Urls.First() + "/") };
    }

    private static string Sha256Of(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
