namespace AIBrix.Gateway.Core.OpenAI;

/// <summary>Receives the joined <c>data:</c> payload of each complete server-sent event.</summary>
internal interface ISseEventHandler
{
    /// <summary>One event's data lines joined by <c>'\n'</c>; valid only during the call.</summary>
    void OnEvent(ReadOnlySpan<byte> data);
}
