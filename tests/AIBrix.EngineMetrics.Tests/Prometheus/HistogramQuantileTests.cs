namespace AIBrix.EngineMetrics.Tests;

public class HistogramQuantileTests
{
    private static HistogramSnapshot Parse(string text) =>
        EngineMetricsMapper.Map(PrometheusTextParser.ParseText(text), EngineKind.Vllm).TimeToFirstToken
        ?? throw new Xunit.Sdk.XunitException("no histogram");

    [Fact]
    public void Quantile_ParsedHistogram_InterpolatesInsideTheBucket()
    {
        var histogram = Parse("""
            # TYPE vllm:time_to_first_token_seconds histogram
            vllm:time_to_first_token_seconds_bucket{le="0.1"} 10
            vllm:time_to_first_token_seconds_bucket{le="0.5"} 30
            vllm:time_to_first_token_seconds_bucket{le="+Inf"} 40
            vllm:time_to_first_token_seconds_sum 9
            vllm:time_to_first_token_seconds_count 40
            """);

        Assert.Equal(0.3, histogram.Quantile(0.5)!.Value, 9); // rank 20: halfway through (0.1, 0.5]
        Assert.Equal(0.5, histogram.Quantile(0.99)); // in +Inf bucket: highest finite bound
        Assert.Equal(9.0 / 40, histogram.Mean);
    }

    [Fact]
    public void Map_HistogramOverTwoEngines_SumsBucketsSumsAndCounts()
    {
        var histogram = Parse("""
            # TYPE vllm:time_to_first_token_seconds histogram
            vllm:time_to_first_token_seconds_bucket{engine="0",le="1.0"} 1
            vllm:time_to_first_token_seconds_bucket{engine="0",le="+Inf"} 2
            vllm:time_to_first_token_seconds_sum{engine="0"} 3
            vllm:time_to_first_token_seconds_count{engine="0"} 2
            vllm:time_to_first_token_seconds_bucket{engine="1",le="1.0"} 4
            vllm:time_to_first_token_seconds_bucket{engine="1",le="+Inf"} 6
            vllm:time_to_first_token_seconds_sum{engine="1"} 7
            vllm:time_to_first_token_seconds_count{engine="1"} 6
            """);

        Assert.Equal([new HistogramBucket(1.0, 5), new HistogramBucket(double.PositiveInfinity, 8)], histogram.Buckets);
        Assert.Equal(10, histogram.Sum);
        Assert.Equal(8, histogram.Count);
    }

    [Fact]
    public void Map_HistogramWithoutTypeOrInfBucket_AddsInfBucketFromCount()
    {
        var histogram = Parse("""
            vllm:time_to_first_token_seconds_bucket{le="0.5"} 2
            vllm:time_to_first_token_seconds_sum 1
            vllm:time_to_first_token_seconds_count 3
            """);

        Assert.Equal(2, histogram.Buckets.Count);
        Assert.Equal(new HistogramBucket(double.PositiveInfinity, 3), histogram.Buckets[1]);
        Assert.Null(new HistogramSnapshot([], 0, 0).Quantile(0.5));
    }
}
