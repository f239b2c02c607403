namespace AIBrix.Gateway.Core.OpenAI;

/// <summary>Fields gathered during the parse pass; a mutable struct held in one local and passed by ref.</summary>
internal struct RequestFields
{
    public string? Model;
    public string? User;
    public bool Stream;
    public bool IncludeUsage;
    public int? MaxTokens;
    public int? MaxCompletionTokens;
    public bool SawPrompt;
    public bool PromptIsTokenIds;
    public PooledByteBuffer Prompt;
    public PooledByteBuffer Instructions;
    public ChatTranscript? Chat;
}
