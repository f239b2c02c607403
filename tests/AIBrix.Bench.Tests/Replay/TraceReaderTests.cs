using AIBrix.Bench.Replay;
using AIBrix.Tests;

namespace AIBrix.Bench.Tests.Replay;

public sealed class TraceReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aibrix-trace-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Shared(params string[] parts) => TestData.PathOf(Path.Combine(parts));

    [Fact]
    public void Read_MooncakeConversationTrace_AllRequestsWithOneIdPer512Tokens()
    {
        var trace = TraceReader.Read(Shared("mooncake", "conversation_trace.jsonl"));

        Assert.Equal(12_031, trace.Count);
        Assert.Equal(0, trace[0].ArrivalSeconds);
        Assert.Equal(6758, trace[0].InputTokens);
        Assert.Equal(500, trace[0].OutputTokens);
        Assert.Equal(Enumerable.Range(0, 14).Select(i => (long)i), trace[0].BlockIds);
        Assert.All(trace, r => Assert.Equal((r.InputTokens + 511) / 512, r.BlockIds.Length));
        Assert.Equal(3537.0, trace[^1].ArrivalSeconds, 0);
    }

    [Fact]
    public void Read_AzureConversationTrace_RelativeSecondsAndUniqueBlocks()
    {
        var trace = TraceReader.Read(Shared("azure", "AzureLLMInferenceTrace_conv.csv"));

        Assert.Equal(19_366, trace.Count);
        Assert.Equal(0, trace[0].ArrivalSeconds);
        Assert.Equal(374, trace[0].InputTokens);
        Assert.Equal(44, trace[0].OutputTokens);
        Assert.Equal(4.3145790, trace[1].ArrivalSeconds, 6);
        Assert.Equal(3501.7, trace[^1].ArrivalSeconds, 0);
        var ids = trace.SelectMany(r => r.BlockIds).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Read_Limit_StopsEarly()
    {
        Assert.Equal(25, TraceReader.Read(Shared("mooncake", "conversation_trace.jsonl"), limit: 25).Count);
    }

    [Theory]
    [InlineData("{\"timestamp\": 5, \"input_length\": 10, \"output_length\": 2, \"hash_ids\": [1]", "invalid JSON")]
    [InlineData("{\"timestamp\": 5, \"output_length\": 2, \"hash_ids\": [1]}", "input_length")]
    [InlineData("{\"timestamp\": 5, \"input_length\": 600, \"output_length\": 2, \"hash_ids\": [1]}", "needs 2 blocks")]
    [InlineData("{\"timestamp\": 5, \"input_length\": 10, \"output_length\": 2, \"hash_ids\": [\"x\"]}", "hash_ids[0]")]
    public void Read_MalformedMooncakeLine_ErrorNamesFileAndLine(string badLine, string problem)
    {
        string path = Path.Combine(_dir, "bad.jsonl");
        File.WriteAllLines(path, ["{\"timestamp\": 0, \"input_length\": 10, \"output_length\": 2, \"hash_ids\": [0]}", "", badLine]);

        var error = Assert.Throws<TraceFormatException>(() => TraceReader.Read(path));

        Assert.Equal(3, error.Line);
        Assert.StartsWith($"{path}:3: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2023-11-16 18:15:50.9951690,396", "3 comma-separated fields")]
    [InlineData("yesterday,396,109", "TIMESTAMP")]
    [InlineData("2023-11-16 18:15:50.9951690,-4,109", "ContextTokens")]
    [InlineData("2023-11-16 18:15:50.9951690,396,lots", "GeneratedTokens")]
    public void Read_MalformedAzureLine_ErrorNamesFileAndLine(string badLine, string problem)
    {
        string path = Path.Combine(_dir, "bad.csv");
        File.WriteAllLines(path, ["TIMESTAMP,ContextTokens,GeneratedTokens", "2023-11-16 18:15:46.6805900,374,44", badLine]);

        var error = Assert.Throws<TraceFormatException>(() => TraceReader.Read(path));

        Assert.Equal(3, error.Line);
        Assert.Contains($"{path}:3: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AzureWithoutHeader_ErrorNamesLineOne()
    {
        string path = Path.Combine(_dir, "noheader.csv");
        File.WriteAllLines(path, ["2023-11-16 18:15:46.6805900,374,44"]);

        Assert.Equal(1, Assert.Throws<TraceFormatException>(() => TraceReader.Read(path)).Line);
    }
}
