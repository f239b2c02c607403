namespace AIBrix.Gateway.Core.OpenAI;

/// <summary>The OpenAI-compatible endpoints the gateway understands and routes.</summary>
public enum OpenAIApi
{
    /// <summary><c>POST /v1/chat/completions</c>: prompt from <c>messages</c>.</summary>
    ChatCompletions,

    /// <summary><c>POST /v1/completions</c> (legacy): prompt from <c>prompt</c>.</summary>
    Completions,

    /// <summary><c>POST /v1/embeddings</c>: prompt from <c>input</c>.</summary>
    Embeddings,

    /// <summary><c>POST /v1/responses</c>: prompt from <c>instructions</c> and <c>input</c>.</summary>
    Responses,
}
