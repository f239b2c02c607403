using System.Text;
using System.Text.Json;

namespace AIBrix.EngineSim.Http;

/// <summary>Llama-3-style chat template rendered to text before tokenizing.</summary>
internal static class ChatTemplate
{
    public static string? Render(List<ChatMessage> messages)
    {
        var text = new StringBuilder("<|begin_of_text|>");
        foreach (var message in messages)
        {
            if (string.IsNullOrEmpty(message?.Role))
            {
                return null;
            }

            text.Append("<|start_header_id|>").Append(message.Role).Append("<|end_header_id|>\n\n");
            switch (message.Content.ValueKind)
            {
                case JsonValueKind.String:
                    text.Append(message.Content.GetString());
                    break;
                case JsonValueKind.Array:
                    foreach (var part in message.Content.EnumerateArray())
                    {
                        if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                        {
                            text.Append(t.GetString());
                        }
                    }

                    break;
                case JsonValueKind.Null:
                    break;
                default:
                    return null;
            }

            text.Append("<|eot_id|>");
        }

        return text.Append("<|start_header_id|>assistant<|end_header_id|>\n\n").ToString();
    }
}
