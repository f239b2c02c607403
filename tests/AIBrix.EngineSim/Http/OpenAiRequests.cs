using System.Text.Json;
using System.Text.Json.Serialization;

namespace AIBrix.EngineSim.Http;

internal sealed class ChatCompletionRequest
{
    public string? Model { get; set; }
    public List<ChatMessage>? Messages { get; set; }
    public int? MaxTokens { get; set; }
    public int? MaxCompletionTokens { get; set; }
    public bool? Stream { get; set; }
    public StreamOptions? StreamOptions { get; set; }
}

internal sealed class ChatMessage
{
    public string? Role { get; set; }
    public JsonElement Content { get; set; }
}

internal sealed class StreamOptions
{
    public bool? IncludeUsage { get; set; }
}

internal sealed class CompletionRequest
{
    public string? Model { get; set; }
    public JsonElement Prompt { get; set; }
    public int? MaxTokens { get; set; }
    public bool? Stream { get; set; }
    public StreamOptions? StreamOptions { get; set; }
}

internal sealed class ResponsesRequest
{
    public string? Model { get; set; }
    public JsonElement Input { get; set; }
    public string? Instructions { get; set; }
    public int? MaxOutputTokens { get; set; }
    public bool? Stream { get; set; }
}

internal sealed class EmbeddingRequest
{
    public string? Model { get; set; }
    public JsonElement Input { get; set; }
}

internal sealed class TokenizeRequest
{
    public string? Model { get; set; }
    public string? Prompt { get; set; }
    public List<ChatMessage>? Messages { get; set; }
}

internal sealed class LoadLoraRequest
{
    public string? LoraName { get; set; }
    public string? LoraPath { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ChatCompletionRequest))]
[JsonSerializable(typeof(CompletionRequest))]
[JsonSerializable(typeof(EmbeddingRequest))]
[JsonSerializable(typeof(ResponsesRequest))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(TokenizeRequest))]
[JsonSerializable(typeof(LoadLoraRequest))]
[JsonSerializable(typeof(FaultSettings))]
internal sealed partial class SimJsonContext : JsonSerializerContext;
