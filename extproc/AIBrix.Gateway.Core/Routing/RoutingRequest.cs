namespace AIBrix.Gateway.Core.Routing;

/// <summary>What a policy may know of the request it routes. Reused per stream; not shared across threads.</summary>
public sealed class RoutingRequest
{
    /// <summary>Request id (Envoy's <c>x-request-id</c> or one we made).</summary>
    public string RequestId { get; set; } = "";

    /// <summary>Model or adapter name as the client sent it.</summary>
    public string Model { get; set; } = "";

    private string? _promptText;

    /// <summary>The parsed request, once the body was read.</summary>
    public OpenAI.OpenAIRequest? Request { get; set; }

    /// <summary>
    /// The prompt text used for routing (messages concatenated). Decoded from the request only when a
    /// policy asks, so load-based policies never pay for a large prompt's string.
    /// </summary>
    public string PromptText
    {
        get => _promptText ?? Request?.PromptText ?? "";
        set => _promptText = value;
    }

    /// <summary>The user the request is accounted to, if known.</summary>
    public string? User { get; set; }

    /// <summary>Headers of the request (lower-case names) for policies that read one (sessions, filters).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; set; } = EmptyHeaders;

    /// <summary>Why the policy chose what it chose (for logs and the operator page); set by the policy.</summary>
    public string? Reason { get; set; }

    private static readonly IReadOnlyDictionary<string, string> EmptyHeaders = new Dictionary<string, string>();
}
