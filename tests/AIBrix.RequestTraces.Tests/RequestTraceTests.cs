namespace AIBrix.RequestTraces.Tests;

public sealed class RequestTraceTests
{
    [Theory]
    [InlineData(1024, 128, 100, 70)]
    [InlineData(100, 10, 66, 33)]
    [InlineData(0, 1, 0, 0)]
    [InlineData(3, 3, 16, 16)]
    public void BucketOf_Log2TimesPrecisionRounded(int input, int output, int expectedInput, int expectedOutput)
    {
        Assert.Equal((expectedInput, expectedOutput), RequestTrace.BucketOf(input, output));
    }

    [Fact]
    public void ToJsonThenParse_RoundTrips()
    {
        var trace = new RequestTrace(new Dictionary<(int, int), int> { [(100, 70)] = 3, [(66, 33)] = 1 }, 10, 10, 5, 2);

        var (parsed, error) = RequestTrace.Parse(trace.ToJson(), "k");

        Assert.Null(error);
        Assert.Equal(trace.Counts, parsed!.Counts);
        Assert.Equal((10, 10, 5, 2), (parsed.IntervalSeconds, parsed.Precision, parsed.TotalRequests, parsed.PendingRequests));
    }

    [Theory]
    [InlineData("[1]", "k: a request trace is a JSON object")]
    [InlineData("{\"1:2\":-1}", "k: '1:2' = -1: counts and meta fields are whole numbers >= 0")]
    [InlineData("{\"meta_precision\":0}", "k: meta_precision and meta_interval_sec must be at least 1")]
    public void Parse_Invalid_ErrorNamesTheSource(string json, string expected)
    {
        var (trace, error) = RequestTrace.Parse(json, "k");

        Assert.Null(trace);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Parse_Version1_PrecisionOneTotalIsTheSum()
    {
        var (trace, _) = RequestTrace.Parse("{\"10:7\":2,\"11:7\":1}", "k");

        Assert.Equal(1, trace!.Precision);
        Assert.Equal(3, trace.TotalRequests);
        Assert.Equal(1024, trace.TokensOf(10));
    }

    [Fact]
    public void Drain_ConcurrentRecords_EachCountedInExactlyOneInterval()
    {
        var recorder = new RequestTraceRecorder();
        int drained = 0;
        Parallel.For(0, 20_000, i =>
        {
            recorder.Record("m", 100 + i % 7, 10);
            if (i % 5_000 == 0)
            {
                Interlocked.Add(ref drained, recorder.Drain(10).Sum(t => t.Trace.TotalRequests));
            }
        });
        drained += recorder.Drain(10).Sum(t => t.Trace.TotalRequests);

        Assert.Equal(20_000, drained);
        Assert.Empty(recorder.Drain(10));
    }
}
