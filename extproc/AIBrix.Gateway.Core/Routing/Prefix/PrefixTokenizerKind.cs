namespace AIBrix.Gateway.Core.Routing.Prefix;

/// <summary>How the prefix policies cut a prompt into tokens before hashing blocks.</summary>
public enum PrefixTokenizerKind
{
    /// <summary>UTF-16 characters (AIBrix's default <c>character</c> tokenizer; block size 128 recommended).</summary>
    Characters,

    /// <summary>UTF-8 bytes of the prompt: no decoding at all.</summary>
    Bytes,

    /// <summary>OpenAI's cl100k_base through Microsoft.ML.Tokenizers (AIBrix's <c>tiktoken</c>; block size 16 recommended).</summary>
    Tiktoken,
}
