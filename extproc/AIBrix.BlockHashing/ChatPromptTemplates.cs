using System.Text;

namespace AIBrix.BlockHashing;

/// <summary>A chat template the gateway can render for routing, so a chat request can be keyed like a completion.</summary>
public enum ChatTemplateKind
{
    /// <summary>None: chat requests are not keyed (routing uses the gateway's estimate for them).</summary>
    None,

    /// <summary>Llama 3's template (<c>&lt;|start_header_id|&gt;role&lt;|end_header_id|&gt;</c>, content trimmed, <c>&lt;|eot_id|&gt;</c>).</summary>
    Llama3,

    /// <summary>Plain ChatML (<c>&lt;|im_start|&gt;role\n … &lt;|im_end|&gt;\n</c>), as Qwen's and many fine-tunes' templates.</summary>
    ChatMl,
}

/// <summary>
/// Chat templates rendered to the text an engine tokenizes, for text-only messages. The engine simulator renders
/// its chat prompts with <see cref="Simulator"/>, so the gateway's keys for a chat request equal the simulator's
/// exactly; <see cref="Render"/> approximates real models' Jinja templates (no tools, no images, no injected
/// default system prompt or date line), which match the engine only where the model's template reduces to them.
/// </summary>
public static class ChatPromptTemplates
{
    /// <summary>The simulator's Llama-3-style template: content parts joined as they are, not trimmed.</summary>
    public static string Simulator(IEnumerable<(string Role, IReadOnlyList<string> Parts)> messages) => Llama3(messages, trim: false);

    /// <summary>The text <paramref name="kind"/> renders for <paramref name="messages"/>, generation prompt included.</summary>
    public static string Render(ChatTemplateKind kind, IEnumerable<(string Role, IReadOnlyList<string> Parts)> messages) => kind switch
    {
        ChatTemplateKind.Llama3 => Llama3(messages, trim: true),
        ChatTemplateKind.ChatMl => ChatMl(messages),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no template to render"),
    };

    private static string Llama3(IEnumerable<(string Role, IReadOnlyList<string> Parts)> messages, bool trim)
    {
        var text = new StringBuilder("<|begin_of_text|>");
        foreach (var (role, parts) in messages)
        {
            text.Append("<|start_header_id|>").Append(role).Append("<|end_header_id|>\n\n");
            string content = string.Concat(parts);
            text.Append(trim ? content.Trim() : content).Append("<|eot_id|>");
        }

        return text.Append("<|start_header_id|>assistant<|end_header_id|>\n\n").ToString();
    }

    private static string ChatMl(IEnumerable<(string Role, IReadOnlyList<string> Parts)> messages)
    {
        var text = new StringBuilder();
        foreach (var (role, parts) in messages)
        {
            text.Append("<|im_start|>").Append(role).Append('\n');
            foreach (string part in parts)
            {
                text.Append(part);
            }

            text.Append("<|im_end|>\n");
        }

        return text.Append("<|im_start|>assistant\n").ToString();
    }
}
