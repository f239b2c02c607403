using AIBrix.Gateway.Hosting;
using Microsoft.ML.Tokenizers;

namespace AIBrix.Gateway.KvEvents;

/// <summary>The vLLM hasher's tokenizer (<c>routing.kvEvents.tokenizer</c>); one that cannot load is a start-up error (exit 2).</summary>
internal static class EngineBlockHashers
{
    /// <summary>
    /// <c>cl100k_base</c>, or a SentencePiece <c>.model</c> file (Llama 2, Mistral and their kin), with the
    /// beginning-of-sentence token vLLM's completions endpoint adds; null without one.
    /// </summary>
    internal static Tokenizer? LoadTokenizer(string? tokenizer)
    {
        if (tokenizer is null)
        {
            return null;
        }

        if (string.Equals(tokenizer, "cl100k_base", StringComparison.OrdinalIgnoreCase))
        {
            return TiktokenTokenizer.CreateForEncoding("cl100k_base");
        }

        try
        {
            using var stream = File.OpenRead(tokenizer);
            return LlamaTokenizer.Create(stream, true, false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or FormatException or NotSupportedException)
        {
            throw new InvalidConfigException([$"routing.kvEvents.tokenizer: '{tokenizer}' is neither cl100k_base nor a readable SentencePiece .model file: {e.Message}"]);
        }
    }
}
