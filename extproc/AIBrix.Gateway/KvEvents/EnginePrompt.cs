using System.Globalization;
using AIBrix.Gateway.Core.Routing;

namespace AIBrix.Gateway.KvEvents;

/// <summary>What the gateway can know of the tokens an engine will cache for a request.</summary>
internal static class EnginePrompt
{
    /// <summary>
    /// True when the engine renders the prompt through its chat template (chat completions, responses): the
    /// gateway sees the messages' text, not the template's output, so it cannot compute the engine's blocks.
    /// A request built without a body (a virtual replay) carries the engine's prompt text itself.
    /// </summary>
    public static bool IsTemplated(RoutingRequest request) =>
        request.Request is { } r && r.Api is not (Core.OpenAI.OpenAIApi.Completions or Core.OpenAI.OpenAIApi.Embeddings);

    /// <summary>
    /// A chat completion's messages as its chat template sees them (role, text parts), or null: not a chat request,
    /// or a message without a role (the engine refuses it).
    /// </summary>
    public static List<(string Role, IReadOnlyList<string> Parts)>? ChatMessages(RoutingRequest request)
    {
        if (request.Request is not { Api: Core.OpenAI.OpenAIApi.ChatCompletions } chat || chat.ChatMessages() is not { } messages)
        {
            return null;
        }

        var result = new List<(string Role, IReadOnlyList<string> Parts)>(messages.Count);
        foreach (var message in messages)
        {
            if (message.Role.Length == 0)
            {
                return null;
            }

            result.Add((message.Role, message.Parts));
        }

        return result;
    }

    /// <summary>The ids of a single token-id prompt, or null (text, several sequences, or not a number list).</summary>
    public static int[]? TryReadTokenIds(RoutingRequest request)
    {
        if (request.Request is not { PromptIsTokenIds: true })
        {
            return null;
        }

        // The parsed request keeps the ids as decimal text joined by spaces, one line per sequence.
        string text = request.PromptText;
        if (text.Contains('\n', StringComparison.Ordinal))
        {
            return null;
        }

        var ids = new List<int>(text.Length / 4 + 1);
        foreach (var range in text.AsSpan().Split(' '))
        {
            var piece = text.AsSpan(range);
            if (piece.IsEmpty)
            {
                continue;
            }

            if (!int.TryParse(piece, NumberStyles.Integer, CultureInfo.InvariantCulture, out int id))
            {
                return null;
            }

            ids.Add(id);
        }

        return [.. ids];
    }
}
