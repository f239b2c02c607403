using System.Net.Http.Headers;
using System.Text;

namespace AIBrix.Runtime.Engine;

/// <summary>
/// HTTP calls from the runtime to its engine: management routes (LoRA, models), the readiness probe and the
/// metrics page. Every transport failure becomes <see cref="EngineUnavailableException"/> with the reason; the
/// engine's own answers, errors included, come back as <see cref="EngineReply"/>.
/// </summary>
internal sealed class EngineClient
{
    private const int MaxReplyBytes = 8 * 1024 * 1024;

    private readonly HttpClient _http;
    private readonly Uri _base;

    public EngineClient(HttpClient http, RuntimeOptions options)
    {
        _http = http;
        Options = options;
        string baseText = options.EngineUrl.ToString();
        _base = new Uri(baseText.EndsWith('/') ? baseText : baseText + "/");
    }

    public RuntimeOptions Options { get; }

    /// <summary>The engine address of <paramref name="path"/> (kept under any path prefix of the engine URL).</summary>
    public Uri Resolve(string path) => new(_base, path.TrimStart('/'));

    /// <summary>Sends a request with an optional JSON body, forwarding the caller's <c>Authorization</c> (vLLM's <c>--api-key</c>).</summary>
    public async Task<EngineReply> SendAsync(
        HttpMethod method, string path, string? jsonBody, string? authorization, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var uri = Resolve(path);
        using var request = new HttpRequestMessage(method, uri);
        if (jsonBody is not null)
        {
            request.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");
        }

        if (!string.IsNullOrEmpty(authorization) && AuthenticationHeaderValue.TryParse(authorization, out var auth))
        {
            request.Headers.Authorization = auth;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            if (response.Content.Headers.ContentLength > MaxReplyBytes)
            {
                throw new EngineUnavailableException($"{method} {uri} answered a body of {response.Content.Headers.ContentLength} bytes (limit {MaxReplyBytes})");
            }

            byte[] body = await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false);
            return new EngineReply((int)response.StatusCode, body, response.Content.Headers.ContentType?.ToString());
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EngineUnavailableException($"{method} {uri} did not answer within {timeout.TotalSeconds:0.###} s", e);
        }
        catch (HttpRequestException e)
        {
            throw new EngineUnavailableException($"{method} {uri} failed: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new EngineUnavailableException($"{method} {uri} failed while reading the answer: {e.Message}", e);
        }
    }
}
