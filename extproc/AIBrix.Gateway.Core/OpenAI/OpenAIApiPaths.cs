namespace AIBrix.Gateway.Core.OpenAI;

/// <summary>Maps request paths (as Envoy's <c>:path</c> header gives them) to <see cref="OpenAIApi"/> and back.</summary>
public static class OpenAIApiPaths
{
    /// <summary>Path of the chat completions API.</summary>
    public const string ChatCompletions = "/v1/chat/completions";

    /// <summary>Path of the legacy completions API.</summary>
    public const string Completions = "/v1/completions";

    /// <summary>Path of the embeddings API.</summary>
    public const string Embeddings = "/v1/embeddings";

    /// <summary>Path of the responses API.</summary>
    public const string Responses = "/v1/responses";

    /// <summary>
    /// Finds the API served at <paramref name="path"/>. A query string or fragment and one trailing
    /// slash are ignored; the comparison is ordinal, as HTTP paths are case-sensitive.
    /// </summary>
    /// <returns><c>false</c> when the path is not an API the gateway supports (the caller answers 501).</returns>
    public static bool TryGetApi(ReadOnlySpan<char> path, out OpenAIApi api)
    {
        int cut = path.IndexOfAny('?', '#');
        if (cut >= 0)
        {
            path = path[..cut];
        }

        if (path.Length > 1 && path[^1] == '/')
        {
            path = path[..^1];
        }

        switch (path)
        {
            case ChatCompletions:
                api = OpenAIApi.ChatCompletions;
                return true;
            case Completions:
                api = OpenAIApi.Completions;
                return true;
            case Embeddings:
                api = OpenAIApi.Embeddings;
                return true;
            case Responses:
                api = OpenAIApi.Responses;
                return true;
            default:
                api = default;
                return false;
        }
    }

    /// <summary>The canonical path of <paramref name="api"/>.</summary>
    public static string GetPath(OpenAIApi api) => api switch
    {
        OpenAIApi.ChatCompletions => ChatCompletions,
        OpenAIApi.Completions => Completions,
        OpenAIApi.Embeddings => Embeddings,
        OpenAIApi.Responses => Responses,
        _ => throw new ArgumentOutOfRangeException(nameof(api), api, "unknown OpenAI API"),
    };
}
