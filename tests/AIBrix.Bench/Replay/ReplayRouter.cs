using System.Buffers;
using System.Reflection;
using System.Text.Json;
using AIBrix.Gateway.Core;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Processing;
using AIBrix.Gateway.Core.Routing;
using AIBrix.Gateway.Core.Routing.KvEvents;

namespace AIBrix.Bench.Replay;

/// <summary>
/// Routes replayed requests through the gateway's real request path (<see cref="GatewayPipeline"/>): the
/// strategy is named in the <c>routing-strategy</c> header and resolved exactly as for a live request, so
/// any name or weighted mix the registry knows works here, and post-routing hooks (prefix recording) run.
/// <c>oracle</c> is the one policy the gateway does not have; it is plugged in as the default strategy.
/// </summary>
public sealed class ReplayRouter
{
    private readonly GatewayPipeline _pipeline;
    private readonly string? _strategyHeader;
    private readonly string _model;
    private readonly ArrayBufferWriter<byte> _body = new(64 * 1024);

    private ReplayRouter(GatewayPipeline pipeline, string? strategyHeader, string model)
    {
        _pipeline = pipeline;
        _strategyHeader = strategyHeader;
        _model = model;
    }

    /// <summary>
    /// Builds the router for <paramref name="policy"/>; throws <see cref="ArgumentException"/> listing the known
    /// names when the gateway refuses the strategy.
    /// </summary>
    public static ReplayRouter Create(string policy, IEndpointSource endpoints, IRandomSource random, TimeProvider clock, string model, IRoutingPolicy? oracle,
        KvBlockIndex? kvBlocks = null, IEngineBlockHasher? engineHasher = null, RoutingOptions? routing = null, PrefillClocks? prefillClocks = null)
    {
        if (oracle is not null && string.Equals(policy, oracle.Name, StringComparison.OrdinalIgnoreCase))
        {
            return new ReplayRouter(new GatewayPipeline(endpoints, new RoutingPolicyRegistry([oracle], oracle.Name)), null, model);
        }

        var registry = CreateDefaultRegistry(random, clock, kvBlocks, engineHasher, routing, prefillClocks);
        var router = new ReplayRouter(new GatewayPipeline(endpoints, registry), policy, model);
        using var probe = router._pipeline.Begin();
        router.SetHeaders(probe);
        if (router._pipeline.OnRequestHeaders(probe) is { } error)
        {
            throw new ArgumentException(
                $"unknown routing policy '{policy}': {error.Message} (the bench also knows '{OracleRoutingPolicy.PolicyName}' and '{OracleTtftRoutingPolicy.PolicyName}')");
        }

        return router;
    }

    /// <summary>
    /// <see cref="RoutingPolicyRegistry.CreateDefault"/> with the seeded randomness and, when the build's
    /// signature takes one, the virtual clock: the parameters are matched by type so a registry that grows a
    /// <see cref="TimeProvider"/> or options parameter is picked up without changing the bench.
    /// </summary>
    private static RoutingPolicyRegistry CreateDefaultRegistry(IRandomSource random, TimeProvider clock, KvBlockIndex? kvBlocks, IEngineBlockHasher? engineHasher,
        RoutingOptions? routing, PrefillClocks? prefillClocks)
    {
        var method = typeof(RoutingPolicyRegistry).GetMethod(nameof(RoutingPolicyRegistry.CreateDefault), BindingFlags.Public | BindingFlags.Static)!;
        object?[] args = [.. method.GetParameters().Select(p =>
            p.ParameterType == typeof(IRandomSource) ? random
            : p.ParameterType == typeof(TimeProvider) ? clock
            : p.ParameterType == typeof(KvBlockIndex) ? kvBlocks
            : p.ParameterType == typeof(IEngineBlockHasher) ? engineHasher
            : p.ParameterType == typeof(RoutingOptions) ? routing
            : p.ParameterType == typeof(PrefillClocks) ? prefillClocks
            : p.ParameterType == typeof(string) ? null
            : p.HasDefaultValue ? p.DefaultValue : null)];
        return (RoutingPolicyRegistry)method.Invoke(null, args)!;
    }

    /// <summary>Routes one request with the given prompt; the context holds the in-flight lease until <see cref="Finish"/>.</summary>
    public (RequestContext Context, Endpoint Target) Route(string prompt, int maxTokens)
    {
        var context = _pipeline.Begin();
        SetHeaders(context);
        if (_pipeline.OnRequestHeaders(context) is { } headerError)
        {
            context.Dispose();
            throw new InvalidOperationException($"the gateway refused the request headers: {headerError.Message}");
        }

        WriteBody(prompt, maxTokens);
        var result = _pipeline.OnRequestBody(context, _body.WrittenSpan);
        if (result.Target is not { } target)
        {
            context.Dispose();
            throw new InvalidOperationException($"the gateway did not route the request: {result.Error?.Message ?? "no target"}");
        }

        return (context, target);
    }

    /// <summary>
    /// The engine refused the request (<paramref name="status"/>, e.g. vLLM's 400 for a prompt longer than the
    /// context): the pipeline sees the status and the error body as a live gateway would, then settles it.
    /// </summary>
    public void Refused(RequestContext context, int status, ReadOnlySpan<byte> body)
    {
        _pipeline.OnResponseHeaders(context, status, "application/json");
        _pipeline.OnResponseBody(context, body, endOfStream: true);
        context.Dispose();
    }

    /// <summary>The answer ended: the pipeline settles it and gives back the in-flight slot.</summary>
    public void Finish(RequestContext context)
    {
        _pipeline.Complete(context);
        context.Dispose();
    }

    private void SetHeaders(RequestContext context)
    {
        context.Headers[":method"] = "POST";
        // A completion, not a chat request: the virtual engines cache the prompt's own tokens (no chat template),
        // so the gateway must key the same tokens for the engines' KV events to match (a chat body would be
        // rendered through the simulator's template first and find none of the engines' blocks).
        context.Headers[":path"] = "/v1/completions";
        if (_strategyHeader is not null)
        {
            context.Headers[GatewayHeaders.RoutingStrategy] = _strategyHeader;
        }
    }

    private void WriteBody(string prompt, int maxTokens)
    {
        _body.ResetWrittenCount();
        using var json = new Utf8JsonWriter(_body);
        json.WriteStartObject();
        json.WriteString("model", _model);
        json.WriteString("prompt", prompt);
        json.WriteNumber("max_tokens", maxTokens);
        json.WriteBoolean("stream", true);
        json.WriteEndObject();
    }

    /// <summary>The chat body for a prompt, as sent over HTTP in gateway mode.</summary>
    public static byte[] ChatBody(string model, string prompt, int maxTokens)
    {
        var buffer = new ArrayBufferWriter<byte>(prompt.Length + 256);
        WriteChat(buffer, model, prompt, maxTokens, includeUsage: true);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>An OpenAI streaming chat request with one user message.</summary>
    private static void WriteChat(IBufferWriter<byte> destination, string model, string prompt, int maxTokens, bool includeUsage)
    {
        using var json = new Utf8JsonWriter(destination);
        json.WriteStartObject();
        json.WriteString("model", model);
        json.WriteStartArray("messages");
        json.WriteStartObject();
        json.WriteString("role", "user");
        json.WriteString("content", prompt);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteNumber("max_tokens", maxTokens);
        json.WriteBoolean("stream", true);
        if (includeUsage)
        {
            json.WriteStartObject("stream_options");
            json.WriteBoolean("include_usage", true);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }
}
