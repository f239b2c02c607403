namespace AIBrix.Gateway.Core.OpenAI;

/// <summary>How a response body carries its usage, decided from the <c>content-type</c> header.</summary>
public enum ResponseBodyMode
{
    /// <summary>Neither JSON nor SSE (or no content type): the body is not read.</summary>
    None,

    /// <summary><c>application/json</c> (or <c>+json</c>): one JSON document with a top-level <c>usage</c>.</summary>
    Json,

    /// <summary><c>text/event-stream</c>: server-sent events, each <c>data:</c> a JSON chunk.</summary>
    EventStream,
}
