using AIBrix.BlockHashing;
using AIBrix.Gateway.Hosting;
using Microsoft.ML.Tokenizers;

namespace AIBrix.Gateway.KvEvents;

/// <summary>The vLLM hasher's tokenizer (<c>routing.kvEvents.tokenizer</c>); one that cannot load is a start-up error (exit 2).</summary>
internal static class EngineBlockHashers
{
    /// <summary>
    /// <c>cl100k_base</c>; a Hugging Face <c>tokenizer.json</c> (byte-level BPE: Llama 3, Qwen 2, GPT-2 and their
    /// kin; <see cref="HuggingFaceTokenizerJson"/>); or a SentencePiece <c>.model</c> file (Llama 2, Mistral). The
    /// tokenizer adds no special tokens itself: the beginning-of-sequence id vLLM's completions endpoint adds comes
    /// back beside it (a chat template writes its own). Null without one.
    /// </summary>
    internal static (Tokenizer Tokenizer, int? BeginningOfSequenceId)? LoadTokenizer(string? tokenizer)
    {
        if (tokenizer is null)
        {
            return null;
        }

        if (string.Equals(tokenizer, "cl100k_base", StringComparison.OrdinalIgnoreCase))
        {
            return (TiktokenTokenizer.CreateForEncoding("cl100k_base"), null);
        }

        bool json = tokenizer.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        try
        {
            using var stream = File.OpenRead(tokenizer);
            if (json)
            {
                return HuggingFaceTokenizerJson.Load(stream);
            }

            var sentencePiece = LlamaTokenizer.Create(stream, false, false);
            return (sentencePiece, sentencePiece.BeginningOfSentenceId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or FormatException or NotSupportedException)
        {
            string what = json ? "a Hugging Face tokenizer.json this gateway can load" : "a readable SentencePiece .model file";
            throw new InvalidConfigException([$"routing.kvEvents.tokenizer: '{tokenizer}' is not {what} (or cl100k_base): {e.Message}"]);
        }
    }

    /// <summary>The chat template named by <c>routing.kvEvents.chatTemplate</c> (validated by the config).</summary>
    internal static ChatTemplateKind ChatTemplate(string? name) => name?.ToLowerInvariant() switch
    {
        "llama3" => ChatTemplateKind.Llama3,
        "chatml" => ChatTemplateKind.ChatMl,
        _ => ChatTemplateKind.None,
    };
}
