using System.Text;

namespace AIBrix.Gateway.Core.OpenAI;

/// <summary>
/// What the gateway needs from an OpenAI request body: the model, the prompt text used for routing,
/// streaming flags and the token budget. Everything else in the body is left to the engine.
/// </summary>
/// <remarks>
/// The prompt is the text pieces of the request joined by <c>'\n'</c>, in document order:
/// chat <c>messages[].content</c> (a string, or the <c>text</c> of each content part; images and
/// audio are skipped); completions <c>prompt</c> and embeddings <c>input</c> (a string or an array of
/// strings); responses <c>instructions</c> first, then <c>input</c> (a string, or the content of each
/// item). Token-id prompts (<c>[1,2,3]</c> or <c>[[1,2],[3]]</c>) keep the ids as decimal text joined
/// by spaces, one line per sequence, and set <see cref="PromptIsTokenIds"/>: routing can still hash
/// them, while token counting must not re-tokenize them.
/// </remarks>
public sealed class OpenAIRequest
{
    private readonly byte[] _promptUtf8;
    private string? _promptText;

    internal OpenAIRequest(OpenAIApi api, string model, byte[] promptUtf8, bool promptIsTokenIds)
    {
        Api = api;
        Model = model;
        _promptUtf8 = promptUtf8;
        PromptIsTokenIds = promptIsTokenIds;
    }

    /// <summary>The API the body was read for.</summary>
    public OpenAIApi Api { get; }

    /// <summary>The <c>model</c> field: a base model name or a LoRA adapter name. Never empty.</summary>
    public string Model { get; }

    /// <summary>The routing prompt as UTF-8 bytes, JSON escapes already resolved; cheapest to hash.</summary>
    public ReadOnlyMemory<byte> PromptUtf8 => _promptUtf8;

    /// <summary>The routing prompt as text; decoded from <see cref="PromptUtf8"/> on first use.</summary>
    public string PromptText => _promptText ??= Encoding.UTF8.GetString(_promptUtf8);

    /// <summary>Length of the prompt in UTF-8 bytes.</summary>
    public int PromptByteLength => _promptUtf8.Length;

    /// <summary>Length of the prompt in UTF-16 chars (what <see cref="PromptText"/>'s length will be).</summary>
    public int PromptCharLength => _promptText?.Length ?? Encoding.UTF8.GetCharCount(_promptUtf8);

    /// <summary><c>true</c> when the prompt was given as token ids rather than text.</summary>
    public bool PromptIsTokenIds { get; }

    /// <summary>The <c>stream</c> field; <c>false</c> when absent.</summary>
    public bool Stream { get; init; }

    /// <summary><c>stream_options.include_usage</c>; <c>false</c> when absent.</summary>
    public bool IncludeUsage { get; init; }

    /// <summary>
    /// The output token cap: <c>max_completion_tokens</c> (preferred) or <c>max_tokens</c> for chat,
    /// <c>max_tokens</c> for completions, <c>max_output_tokens</c> for responses; <c>null</c> when absent.
    /// </summary>
    public int? MaxTokens { get; init; }

    /// <summary>The <c>user</c> field, or <c>null</c>.</summary>
    public string? User { get; init; }

    /// <summary>Chat completions: each message's role and text, as ranges of <see cref="PromptUtf8"/>; null for other APIs.</summary>
    public ChatTranscript? Chat { get; init; }

    /// <summary>The chat messages with their roles (for rendering an engine's chat template); null for other APIs.</summary>
    public IReadOnlyList<ChatText>? ChatMessages() => Chat?.Messages(_promptUtf8);
}
