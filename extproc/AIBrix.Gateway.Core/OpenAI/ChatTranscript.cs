using System.Text;

namespace AIBrix.Gateway.Core.OpenAI;

/// <summary>
/// The shape of a chat request's <c>messages</c>: each message's role and the text of its content, as ranges of
/// the routing prompt (<see cref="OpenAIRequest.PromptUtf8"/>). Kept beside the flat prompt so an engine's chat
/// template can be rendered for routing (the prompt alone loses the roles) without a second parse of the body.
/// </summary>
public sealed class ChatTranscript
{
    private readonly List<string> _roles = [];
    private readonly List<(int Message, int Start, int Length)> _parts = [];

    /// <summary>Messages in request order.</summary>
    public int Count => _roles.Count;

    /// <summary>The messages with their roles ("" when a message had none) and text parts, decoded from <paramref name="prompt"/>.</summary>
    public IReadOnlyList<ChatText> Messages(ReadOnlySpan<byte> prompt)
    {
        var messages = new ChatText[_roles.Count];
        var parts = new List<string>[_roles.Count];
        foreach (var (message, start, length) in _parts)
        {
            (parts[message] ??= []).Add(Encoding.UTF8.GetString(prompt.Slice(start, length)));
        }

        for (int i = 0; i < messages.Length; i++)
        {
            messages[i] = new ChatText(_roles[i], parts[i] ?? (IReadOnlyList<string>)[]);
        }

        return messages;
    }

    internal void BeginMessage() => _roles.Add("");

    internal void SetRole(string role) => _roles[^1] = role;

    internal void AddPart(int start, int length) => _parts.Add((_roles.Count - 1, start, length));

    internal void Clear()
    {
        _roles.Clear();
        _parts.Clear();
    }
}

/// <summary>One chat message as the engine's template sees it: its role and the text of its content parts, in order.</summary>
/// <param name="Role">The <c>role</c> ("" when absent).</param>
/// <param name="Parts">The content: one part for a string, the <c>text</c> of each text part for an array, none for null.</param>
public sealed record ChatText(string Role, IReadOnlyList<string> Parts);
