using System.Globalization;
using System.Text.RegularExpressions;

namespace AIBrix.EngineSim.Tests.Http;

public class MetricsTests
{
    private static async Task<(SimulatorHost Host, HttpClient Client)> StartAsync(MetricsDialect dialect)
    {
        var host = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, TimeScale = 200, MetricsDialect = dialect });
        return (host, new HttpClient { BaseAddress = host.Instances[0].BaseAddress });
    }

    private static double Value(string text, string series)
    {
        var line = text.Split('\n').Single(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Metrics_VllmV1_HasSampleNamesTypesLabelsAndBuckets()
    {
        var (host, client) = await StartAsync(MetricsDialect.VllmV1);
        await using var _ = host;
        using var __ = client;
        await Http.PostAsync(client, "/v1/chat/completions", Http.Chat("count me", extra: ",\"max_tokens\":4"));

        string text = await client.GetStringAsync("/metrics");

        const string L = "{engine=\"0\",model_name=\"meta-llama/Llama-3.1-8B-Instruct\"}";
        foreach (var (name, type) in new[]
        {
            ("vllm:num_requests_running", "gauge"), ("vllm:num_requests_waiting", "gauge"), ("vllm:kv_cache_usage_perc", "gauge"),
            ("vllm:prefix_cache_queries_total", "counter"), ("vllm:prefix_cache_hits_total", "counter"),
            ("vllm:prompt_tokens_total", "counter"), ("vllm:generation_tokens_total", "counter"), ("vllm:num_preemptions_total", "counter"),
            ("vllm:time_to_first_token_seconds", "histogram"), ("vllm:inter_token_latency_seconds", "histogram"),
            ("vllm:e2e_request_latency_seconds", "histogram"), ("vllm:request_queue_time_seconds", "histogram"),
            ("vllm:cache_config_info", "gauge"), ("vllm:lora_requests_info", "gauge"), ("aibrix:pending_prefill_tokens", "gauge"),
        })
        {
            Assert.Contains($"# TYPE {name} {type}\n", text, StringComparison.Ordinal);
        }

        Assert.Contains("vllm:num_requests_running" + L + " 0.0\n", text, StringComparison.Ordinal);
        Assert.Contains("aibrix:pending_prefill_tokens{model_name=\"meta-llama/Llama-3.1-8B-Instruct\"} 0.0\n", text, StringComparison.Ordinal);
        Assert.Equal(4, Value(text, "vllm:generation_tokens_total" + L));
        Assert.Equal(1, Value(text, "vllm:time_to_first_token_seconds_count" + L));
        Assert.Equal(3, Value(text, "vllm:inter_token_latency_seconds_count" + L));
        // Buckets exactly as vllm_v1_metrics.txt has them, with le sorted between engine and model_name.
        var ttftBuckets = Regex.Matches(text, "vllm:time_to_first_token_seconds_bucket\\{engine=\"0\",le=\"([^\"]+)\",model_name=").Select(m => m.Groups[1].Value);
        Assert.Equal(["0.001", "0.005", "0.01", "0.02", "0.04", "0.06", "0.08", "0.1", "0.25", "0.5", "0.75", "1.0", "2.5", "5.0", "7.5", "10.0",
            "20.0", "40.0", "80.0", "160.0", "640.0", "2560.0", "+Inf"], ttftBuckets);
        var e2eBuckets = Regex.Matches(text, "vllm:e2e_request_latency_seconds_bucket\\{engine=\"0\",le=\"([^\"]+)\"").Select(m => m.Groups[1].Value);
        Assert.Equal(["0.3", "0.5", "0.8", "1.0", "1.5", "2.0", "2.5", "5.0", "10.0", "15.0", "20.0", "30.0", "40.0", "50.0", "60.0", "120.0",
            "240.0", "480.0", "960.0", "1920.0", "7680.0", "+Inf"], e2eBuckets);
        Assert.Matches("vllm:lora_requests_info\\{max_lora=\"4\",running_lora_adapters=\"\",waiting_lora_adapters=\"\"\\} 1\\.\\d+e\\+09\n", text);
        Assert.Contains("num_gpu_blocks=\"29952\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("gpu_cache_usage_perc", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_RepeatedLongPrompt_PrefixHitsEqualReportedCachedTokens()
    {
        var (host, client) = await StartAsync(MetricsDialect.VllmV1);
        await using var _ = host;
        using var __ = client;
        string prompt = string.Join(' ', Enumerable.Range(0, 300).Select(i => "w" + i));
        await Http.PostAsync(client, "/v1/completions", $$"""{"model":"meta-llama/Llama-3.1-8B-Instruct","prompt":"{{prompt}}","max_tokens":2}""");
        var (_, second) = await Http.PostAsync(client, "/v1/completions", $$"""{"model":"meta-llama/Llama-3.1-8B-Instruct","prompt":"{{prompt}}","max_tokens":2}""");

        string text = await client.GetStringAsync("/metrics");

        const string L = "{engine=\"0\",model_name=\"meta-llama/Llama-3.1-8B-Instruct\"}";
        int cached = second.GetProperty("usage").GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32();
        int promptTokens = second.GetProperty("usage").GetProperty("prompt_tokens").GetInt32();
        Assert.True(cached > 0);
        Assert.Equal(cached, Value(text, "vllm:prefix_cache_hits_total" + L));
        Assert.Equal(2 * promptTokens, Value(text, "vllm:prefix_cache_queries_total" + L));
    }

    [Fact]
    public async Task Metrics_VllmV0Dialect_UsesGpuCacheNames()
    {
        var (host, client) = await StartAsync(MetricsDialect.VllmV0);
        await using var _ = host;
        using var __ = client;

        string text = await client.GetStringAsync("/metrics");

        Assert.Contains("# TYPE vllm:gpu_cache_usage_perc gauge", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE vllm:cpu_cache_usage_perc gauge", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE vllm:gpu_prefix_cache_hit_rate gauge", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE vllm:time_per_output_token_seconds histogram", text, StringComparison.Ordinal);
        Assert.DoesNotContain("vllm:kv_cache_usage_perc", text, StringComparison.Ordinal);
        Assert.DoesNotContain("engine=\"0\",model_name", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_SGLangDialect_UsesSglangNames()
    {
        var (host, client) = await StartAsync(MetricsDialect.SGLang);
        await using var _ = host;
        using var __ = client;

        string text = await client.GetStringAsync("/metrics");

        foreach (string name in new[] { "sglang:num_running_reqs", "sglang:num_queue_reqs", "sglang:token_usage", "sglang:cache_hit_rate",
                     "sglang:prompt_tokens_total", "sglang:generation_tokens_total", "sglang:time_to_first_token_seconds", "sglang:inter_token_latency_seconds" })
        {
            Assert.Contains($"# TYPE {name} ", text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("vllm:", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(23.0, "23.0")]
    [InlineData(62396421.0, "6.2396421e+07")]
    [InlineData(1767225585.4187431, "1.7672255854187431e+09")]
    [InlineData(0.4375801282051282, "0.4375801282051282")]
    [InlineData(0.001, "0.001")]
    [InlineData(1e-05, "1e-05")]
    public void Format_Values_MatchPrometheusClient(double value, string expected)
    {
        Assert.Equal(expected, AIBrix.EngineSim.Metrics.PrometheusText.Format(value));
    }
}
