using AIBrix.Bench.Replay;
using AIBrix.Tests;

namespace AIBrix.Bench.Tests.Replay;

internal static class ReplayTestTraces
{
    public static string Mooncake => TestData.PathOf("mooncake/conversation_trace.jsonl");

    /// <summary>
    /// Conversations that share long prefixes: <paramref name="groups"/> system prompts of 4 blocks, each
    /// request adds one block of its own; arrivals every 0.2 s, groups interleaved.
    /// </summary>
    public static List<TraceRequest> SharedPrefix(int requests, int groups)
    {
        var trace = new List<TraceRequest>(requests);
        for (int i = 0; i < requests; i++)
        {
            long g = i % groups;
            long[] blocks = [g * 10 + 1, g * 10 + 2, g * 10 + 3, g * 10 + 4, 1_000_000 + i];
            trace.Add(new TraceRequest(i * 0.2, 4 * 512 + 200, 20, blocks));
        }

        return trace;
    }
}
