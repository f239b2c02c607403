using System.Text;
using AIBrix.EngineMetrics;
using AIBrix.Runtime.Metrics;
using AIBrix.Tests;
using Microsoft.Extensions.Time.Testing;

namespace AIBrix.Runtime.Tests.Metrics;

public class MetricStandardizerTests
{
    private static string Standardize(string page, EngineKind engine, MetricStandardizer? standardizer = null)
    {
        var sb = new StringBuilder();
        (standardizer ?? new MetricStandardizer(new FakeTimeProvider())).Write(sb, PrometheusTextParser.ParseText(page), engine);
        return sb.ToString();
    }

    /// <summary>Sum of the samples named <paramref name="sampleName"/> in an exposition, read back with the same parser; null when absent.</summary>
    internal static double? Value(string exposition, string sampleName, string? labelName = null, string? labelValue = null)
    {
        var set = PrometheusTextParser.ParseText(exposition);
        if (!set.TryGetFamilyOfSample(sampleName, out var family))
        {
            return null;
        }

        double? sum = null;
        foreach (ref readonly var sample in family.Samples)
        {
            if (sample.Name == sampleName && (labelName is null || family.LabelValue(sample, labelName) == labelValue))
            {
                sum = (sum ?? 0) + sample.Value;
            }
        }

        return sum;
    }

    [Fact]
    public void Write_VllmV1Sample_RenamesGaugesCountersAndHistograms()
    {
        string output = Standardize(File.ReadAllText(TestData.PathOf("engine-metrics/vllm_v1_metrics.txt")), EngineKind.Vllm);

        Assert.Equal(2, Value(output, "aibrix:queue_size"));
        Assert.Equal(23, Value(output, "aibrix:num_requests_running"));
        Assert.Equal(0.4375801282051282, Value(output, "aibrix:gpu_cache_usage_perc"));
        Assert.Equal(6.2396421e+07, Value(output, "aibrix:prompt_tokens_total"));
        Assert.Equal(9.789727e+06, Value(output, "aibrix:generation_tokens_total"));
        Assert.Equal(41860, Value(output, "aibrix:time_to_first_token_seconds_count"));
        Assert.Equal(18461, Value(output, "aibrix:time_to_first_token_seconds_bucket", "le", "0.1"));
        Assert.Equal(9.747867e+06, Value(output, "aibrix:time_per_output_token_seconds_count")); // v1's inter_token_latency_seconds
        Assert.Equal(41837, Value(output, "aibrix:e2e_request_latency_seconds_count"));
        Assert.Equal(41837, Value(output, "aibrix:request_success_total"));
        Assert.Equal(2.5750992e+07 / 6.2396421e+07, Value(output, "aibrix:cache_hit_rate"));
        Assert.Contains("model_name=\"meta-llama/Llama-3.1-8B-Instruct\"", output);
        Assert.DoesNotContain("vllm:", output.Split('\n').Where(l => !l.StartsWith('#')).Aggregate("", string.Concat));
    }

    [Fact]
    public void Write_VllmV0Names_GpuCacheAndTimePerOutputTokenAndAverageThroughput()
    {
        string output = Standardize(File.ReadAllText(TestData.PathOf("engine-metrics/vllm_v0_metrics.txt")), EngineKind.Vllm);

        Assert.Equal(3, Value(output, "aibrix:queue_size"));
        Assert.Equal(0.25, Value(output, "aibrix:gpu_cache_usage_perc"));
        Assert.Equal(0.125, Value(output, "aibrix:cpu_cache_usage_perc"));
        Assert.Equal(812.5, Value(output, "aibrix:generation_throughput"));
        Assert.Equal(10, Value(output, "aibrix:time_per_output_token_seconds_bucket", "le", "+Inf"));
        Assert.Null(Value(output, "aibrix:time_to_first_token_seconds_count"));
    }

    [Fact]
    public void Write_Sglang_RenamesSglangNames()
    {
        string output = Standardize(File.ReadAllText(TestData.PathOf("engine-metrics/sglang_metrics.txt")), EngineKind.Sglang);

        Assert.Equal(3, Value(output, "aibrix:queue_size"));
        Assert.Equal(7, Value(output, "aibrix:num_requests_running"));
        Assert.Equal(0.28, Value(output, "aibrix:gpu_cache_usage_perc"));
        Assert.Equal(0.0075, Value(output, "aibrix:cache_hit_rate"));
        Assert.Equal(120.5, Value(output, "aibrix:generation_throughput"));
        Assert.Equal(8.128902e+06, Value(output, "aibrix:prompt_tokens_total"));
        Assert.Equal(3, Value(output, "aibrix:time_to_first_token_seconds_bucket", "le", "0.5"));
        Assert.Equal(100, Value(output, "aibrix:time_per_output_token_seconds_count"));
        Assert.Equal(0.25, Value(output, "aibrix:request_queue_time_seconds_sum"));
    }

    [Fact]
    public void Write_LlamaCpp_RenamesProcessingDeferredKvTokensAndThroughput()
    {
        string output = Standardize("""
            # TYPE llamacpp:prompt_tokens_total counter
            llamacpp:prompt_tokens_total 6886
            # TYPE llamacpp:tokens_predicted_total counter
            llamacpp:tokens_predicted_total 3469
            # TYPE llamacpp:prompt_tokens_seconds gauge
            llamacpp:prompt_tokens_seconds 512.25
            # TYPE llamacpp:predicted_tokens_seconds gauge
            llamacpp:predicted_tokens_seconds 41.5
            # TYPE llamacpp:kv_cache_usage_ratio gauge
            llamacpp:kv_cache_usage_ratio 0.5
            # TYPE llamacpp:requests_processing gauge
            llamacpp:requests_processing 2
            # TYPE llamacpp:requests_deferred gauge
            llamacpp:requests_deferred 1
            """, EngineKind.LlamaCpp);

        Assert.Equal(1, Value(output, "aibrix:queue_size"));
        Assert.Equal(2, Value(output, "aibrix:num_requests_running"));
        Assert.Equal(0.5, Value(output, "aibrix:gpu_cache_usage_perc"));
        Assert.Equal(6886, Value(output, "aibrix:prompt_tokens_total"));
        Assert.Equal(3469, Value(output, "aibrix:generation_tokens_total"));
        Assert.Equal(512.25, Value(output, "aibrix:prompt_throughput"));
        Assert.Equal(41.5, Value(output, "aibrix:generation_throughput"));
    }

    [Fact]
    public void Write_CountersGrowBetweenScrapes_ThroughputDerivedFromTheGrowth()
    {
        var time = new FakeTimeProvider();
        var standardizer = new MetricStandardizer(time);
        const string Page = "vllm:num_requests_running 1\nvllm:prompt_tokens_total {0}\nvllm:generation_tokens_total {1}\n";

        string first = Standardize(string.Format(System.Globalization.CultureInfo.InvariantCulture, Page, 1000, 100), EngineKind.Vllm, standardizer);
        time.Advance(TimeSpan.FromSeconds(2));
        string second = Standardize(string.Format(System.Globalization.CultureInfo.InvariantCulture, Page, 3000, 600), EngineKind.Vllm, standardizer);
        time.Advance(TimeSpan.FromSeconds(2));
        string restarted = Standardize(string.Format(System.Globalization.CultureInfo.InvariantCulture, Page, 10, 5), EngineKind.Vllm, standardizer);

        Assert.Null(Value(first, "aibrix:generation_throughput")); // one point is no rate: absent, not 0
        Assert.Equal(1000, Value(second, "aibrix:prompt_throughput"));
        Assert.Equal(250, Value(second, "aibrix:generation_throughput"));
        Assert.Null(Value(restarted, "aibrix:generation_throughput"));
    }

    [Fact]
    public void Detect_PagePrefixes_NameTheEngine()
    {
        Assert.Equal(EngineKind.Sglang, StandardMetricRules.Detect(PrometheusTextParser.ParseText("process_cpu 1\nsglang:num_queue_reqs 0\n")));
        Assert.Equal(EngineKind.LlamaCpp, StandardMetricRules.Detect(PrometheusTextParser.ParseText("llamacpp:requests_processing 0\n")));
        Assert.Equal(EngineKind.Vllm, StandardMetricRules.Detect(PrometheusTextParser.ParseText("vllm:num_requests_running 0\n")));
        Assert.Null(StandardMetricRules.Detect(PrometheusTextParser.ParseText("go_goroutines 4\n")));
    }
}
