namespace AIBrix.Gateway.Core.OpenAI;

/// <summary>
/// Token usage reported by the engine. Chat/completions name the counts <c>prompt_tokens</c> /
/// <c>completion_tokens</c>; the responses API names them <c>input_tokens</c> / <c>output_tokens</c>.
/// </summary>
/// <param name="PromptTokens">Tokens in the prompt (<c>prompt_tokens</c> or <c>input_tokens</c>).</param>
/// <param name="CompletionTokens">Tokens generated (<c>completion_tokens</c> or <c>output_tokens</c>).</param>
/// <param name="TotalTokens"><c>total_tokens</c>, or the sum of the two when the engine omits it.</param>
/// <param name="CachedTokens">
/// Prompt tokens served from the prefix cache (<c>prompt_tokens_details.cached_tokens</c> or
/// <c>input_tokens_details.cached_tokens</c>); <c>null</c> when the engine does not report it.
/// </param>
public readonly record struct Usage(int PromptTokens, int CompletionTokens, int TotalTokens, int? CachedTokens);
