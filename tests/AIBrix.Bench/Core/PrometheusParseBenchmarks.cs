using AIBrix.EngineMetrics;
using BenchmarkDotNet.Attributes;

namespace AIBrix.Bench.Core;

/// <summary>
/// Parsing and mapping the recorded vLLM v1 <c>/metrics</c> sample (40 KB, 316 samples), as the scraper does for
/// every pod every 50 ms. <c>Warm</c> reuses one parser and family set, which is the scraper's steady state.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class PrometheusParseBenchmarks
{
    private readonly PrometheusTextParser _parser = new();
    private readonly MetricFamilySet _families = new();
    private byte[] _body = [];

    [GlobalSetup]
    public void Setup()
    {
        _body = File.ReadAllBytes(RepoData.PathOf("engine-metrics/vllm_v1_metrics.txt"));
        _parser.ParseUtf8(_body, _families); // fill the string cache as a running scraper would have
    }

    [Benchmark(Baseline = true)]
    public int ParseWarm()
    {
        _parser.ParseUtf8(_body, _families);
        return _families.SampleCount;
    }

    [Benchmark]
    public EngineMetricsSnapshot ParseAndMapWarm()
    {
        _parser.ParseUtf8(_body, _families);
        return EngineMetricsMapper.Map(_families, EngineKind.Vllm);
    }

    [Benchmark]
    public EngineMetricsSnapshot ParseAndMapCold()
    {
        var families = new MetricFamilySet();
        new PrometheusTextParser().ParseUtf8(_body, families);
        return EngineMetricsMapper.Map(families, EngineKind.Vllm);
    }
}
