namespace AIBrix.Bench.Replay;

/// <summary>
/// One request of a trace: when it arrives, how long its prompt and answer are, and which 512-token
/// prefix blocks its prompt is made of (equal ids at the same position mean an equal prefix).
/// </summary>
/// <param name="ArrivalSeconds">Arrival time in seconds from the first request.</param>
/// <param name="InputTokens">Prompt length in tokens.</param>
/// <param name="OutputTokens">Answer length in tokens.</param>
/// <param name="BlockIds">One id per <see cref="TraceRequest.BlockTokens"/> prompt tokens; the last block may be shorter.</param>
public sealed record TraceRequest(double ArrivalSeconds, int InputTokens, int OutputTokens, long[] BlockIds)
{
    /// <summary>Tokens per block id (Mooncake's <c>hash_ids</c> granularity).</summary>
    public const int BlockTokens = 512;
}

/// <summary>A trace line that can't be read; the message names the file and the line.</summary>
public sealed class TraceFormatException(string path, int line, string problem)
    : FormatException($"{path}:{line}: {problem}")
{
    /// <summary>The file.</summary>
    public string Path { get; } = path;

    /// <summary>1-based line number.</summary>
    public int Line { get; } = line;
}
