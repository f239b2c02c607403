using System.Text.Json;
using AIBrix.BlockHashing;

namespace AIBrix.EngineSim.Http;

/// <summary>
/// Llama-3-style chat template rendered to text before tokenizing: <see cref="ChatPromptTemplates.Simulator"/>, the
/// rendering the gateway's <c>sim</c> hasher uses too, so a chat request is keyed alike on both sides.
/// </summary>
internal static class ChatTemplate
{
    public static string? Render(List<ChatMessage> messages)
    {
        var rendered = new List<(string Role, IReadOnlyList<string> Parts)>(messages.Count);
        foreach (var message in messages)
        {
            if (string.IsNullOrEmpty(message?.Role))
            {
                return null;
            }

            var parts = new List<string>();
            switch (message.Content.ValueKind)
            {
                case JsonValueKind.String:
                    parts.Add(message.Content.GetString()!);
                    break;
                case JsonValueKind.Array:
                    foreach (var part in message.Content.EnumerateArray())
                    {
                        if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                        {
                            parts.Add(t.GetString()!);
                        }
                    }

                    break;
                case JsonValueKind.Null:
                    break;
                default:
                    return null;
            }

            rendered.Add((message.Role, parts));
        }

        return ChatPromptTemplates.Simulator(rendered);
    }
}
