using AIBrix.Tests;

namespace AIBrix.EngineMetrics.Tests;

public class EngineMetricsMapperTests
{
    private static EngineMetricsSnapshot Map(string text, EngineKind engine, out int recognised) =>
        EngineMetricsMapper.Map(PrometheusTextParser.ParseText(text), engine, out recognised);

    private static EngineMetricsSnapshot MapRealVllmV1() =>
        EngineMetricsMapper.Map(
            PrometheusTextParser.ParseText(File.ReadAllText(TestData.PathOf("engine-metrics/vllm_v1_metrics.txt"))),
            EngineKind.Vllm);

    [Fact]
    public void Map_RealVllmV1Sample_ReadsGaugesAndCounters()
    {
        var m = MapRealVllmV1();

        Assert.Equal(23, m.Running);
        Assert.Equal(2, m.Waiting);
        Assert.Equal(0.4375801282051282, m.KvCacheUsage);
        Assert.Null(m.CpuKvCacheUsage);
        Assert.Equal(6.2396421e+07, m.PrefixCacheQueries);
        Assert.Equal(2.5750992e+07, m.PrefixCacheHits);
        Assert.Equal(2.5750992e+07 / 6.2396421e+07, m.PrefixCacheHitRate);
        Assert.Equal(6.2396421e+07, m.PromptTokens);
        Assert.Equal(9.789727e+06, m.GenerationTokens);
        Assert.Equal(37, m.Preemptions);
        Assert.Null(m.PendingPrefillTokens); // no released vLLM exports it
    }

    [Theory]
    [InlineData(EngineKind.Vllm)]
    [InlineData(EngineKind.Sglang)]
    [InlineData(EngineKind.LlamaCpp)]
    public void Map_SimulatorPendingPrefillTokens_ReadForAnyEngineKindAndSummedOverLabelSets(EngineKind engine)
    {
        var m = Map("""
            # TYPE aibrix:pending_prefill_tokens gauge
            aibrix:pending_prefill_tokens{model_name="a"} 1200
            aibrix:pending_prefill_tokens{model_name="b"} 34
            """, engine, out int recognised);

        Assert.Equal(1234, m.PendingPrefillTokens);
        Assert.Equal(1, recognised);
    }

    [Fact]
    public void Map_RealVllmV1Sample_ReadsLatencyHistograms()
    {
        var m = MapRealVllmV1();

        Assert.NotNull(m.TimeToFirstToken);
        Assert.Equal(41860, m.TimeToFirstToken.Count);
        Assert.Equal(6567.050628294853, m.TimeToFirstToken.Sum);
        Assert.Equal(23, m.TimeToFirstToken.Buckets.Count); // 22 finite bounds and +Inf
        Assert.Equal(new HistogramBucket(0.1, 18461), m.TimeToFirstToken.Buckets[7]);
        Assert.Equal(9.747867e+06, m.TimePerOutputToken?.Count); // v1's inter_token_latency_seconds
        Assert.Equal(172367.2505632991, m.TimePerOutputToken?.Sum);
        Assert.Equal(41837, m.EndToEndLatency?.Count);
        Assert.Equal(177238.77063611124, m.EndToEndLatency?.Sum);
        Assert.Equal(1460.1027790058577, m.QueueTime?.Sum);
        double p50 = m.TimeToFirstToken.Quantile(0.5)!.Value; // rank 20930 lies in (0.1, 0.25]
        Assert.InRange(p50, 0.1, 0.25);
    }

    [Fact]
    public void Map_RealVllmV1Sample_TakesLatestLoraInfo()
    {
        var m = MapRealVllmV1();

        Assert.Equal(["sql-lora", "support-bot-v2"], m.RunningAdapters);
        Assert.Equal(["summarizer-lora"], m.WaitingAdapters);
        Assert.Equal(4, m.MaxLoras);
    }

    [Fact]
    public void Map_VllmV0Names_ReadsGpuCpuCacheAndTimePerOutputToken()
    {
        var m = Map(File.ReadAllText(TestData.PathOf("engine-metrics/vllm_v0_metrics.txt")), EngineKind.Vllm, out int recognised);

        Assert.Equal(4, m.Running);
        Assert.Equal(0.25, m.KvCacheUsage);
        Assert.Equal(0.125, m.CpuKvCacheUsage);
        Assert.Equal(200, m.PrefixCacheQueries);
        Assert.Equal(50, m.PrefixCacheHits);
        Assert.Equal(0.25, m.PrefixCacheHitRate);
        Assert.Equal(10, m.TimePerOutputToken?.Count);
        Assert.Null(m.TimeToFirstToken);
        Assert.Null(m.Preemptions);
        Assert.Equal(8, recognised);
    }

    [Fact]
    public void Map_SeveralEngineRanks_SumsRequestsAndTakesMaxKvUsage()
    {
        var m = Map("""
            vllm:num_requests_running{engine="0",model_name="m"} 3
            vllm:num_requests_running{engine="1",model_name="m"} 5
            vllm:num_requests_waiting{engine="0",model_name="m"} 1
            vllm:num_requests_waiting{engine="1",model_name="m"} NaN
            vllm:kv_cache_usage_perc{engine="0",model_name="m"} 0.2
            vllm:kv_cache_usage_perc{engine="1",model_name="m"} 0.9
            vllm:prompt_tokens_total{engine="0",model_name="m"} 100
            vllm:prompt_tokens_total{engine="1",model_name="m"} 50
            """, EngineKind.Vllm, out _);

        Assert.Equal(8, m.Running);
        Assert.Equal(1, m.Waiting);
        Assert.Equal(0.9, m.KvCacheUsage);
        Assert.Equal(150, m.PromptTokens);
    }

    [Fact]
    public void Map_Sglang_ReadsSglangNames()
    {
        // The shared SGLang page, and a vLLM series an SGLang reading must ignore.
        string page = File.ReadAllText(TestData.PathOf("engine-metrics/sglang_metrics.txt")) + "vllm:num_requests_running 99\n";

        var m = Map(page, EngineKind.Sglang, out int recognised);

        Assert.Equal(7, m.Running);
        Assert.Equal(3, m.Waiting);
        Assert.Equal(0.28, m.KvCacheUsage);
        Assert.Equal(0.0075, m.PrefixCacheHitRate);
        Assert.Equal(8.128902e+06, m.PromptTokens);
        Assert.Equal(7.557572e+06, m.GenerationTokens);
        Assert.Equal(4, m.TimeToFirstToken?.Count);
        Assert.Equal(0.02, m.TimePerOutputToken?.Mean);
        Assert.Equal(0.25, m.QueueTime?.Sum);
        Assert.Null(m.EndToEndLatency);
        Assert.Null(m.PrefixCacheQueries);
        Assert.Equal(9, recognised);
    }

    [Fact]
    public void Map_LlamaCpp_ReadsProcessingDeferredKvAndTokens()
    {
        var m = Map("""
            # HELP llamacpp:prompt_tokens_total Number of prompt tokens processed.
            # TYPE llamacpp:prompt_tokens_total counter
            llamacpp:prompt_tokens_total 6886
            # TYPE llamacpp:tokens_predicted_total counter
            llamacpp:tokens_predicted_total 3469
            # TYPE llamacpp:kv_cache_usage_ratio gauge
            llamacpp:kv_cache_usage_ratio 0.5
            # TYPE llamacpp:requests_processing gauge
            llamacpp:requests_processing 2
            # TYPE llamacpp:requests_deferred gauge
            llamacpp:requests_deferred 1
            """, EngineKind.LlamaCpp, out int recognised);

        Assert.Equal(2, m.Running);
        Assert.Equal(1, m.Waiting);
        Assert.Equal(0.5, m.KvCacheUsage);
        Assert.Equal(6886, m.PromptTokens);
        Assert.Equal(3469, m.GenerationTokens);
        Assert.Equal(5, recognised);
    }

    [Fact]
    public void Map_UnrelatedPage_RecognisesNothingAndLeavesNulls()
    {
        var m = Map("process_cpu_seconds_total 12\ngo_goroutines 40\n", EngineKind.Vllm, out int recognised);

        Assert.Equal(0, recognised);
        Assert.Null(m.Running);
        Assert.Null(m.Waiting);
        Assert.Null(m.KvCacheUsage);
        Assert.Empty(m.RunningAdapters);
        Assert.Null(m.MaxLoras);
    }
}
