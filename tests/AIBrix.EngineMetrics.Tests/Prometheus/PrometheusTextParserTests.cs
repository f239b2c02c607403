using System.Text;
using AIBrix.Tests;

namespace AIBrix.EngineMetrics.Tests;

public class PrometheusTextParserTests
{
    private static MetricFamily Family(MetricFamilySet set, string name) =>
        set.TryGetFamily(name, out var family) ? family : throw new Xunit.Sdk.XunitException($"family '{name}' not found");

    [Fact]
    public void Parse_TypedGaugeAndCounter_ReadsTypesHelpAndValues()
    {
        var set = PrometheusTextParser.ParseText("""
            # HELP requests_running Requests running now.
            # TYPE requests_running gauge
            requests_running{model="a"} 3
            # TYPE tokens counter
            tokens_total 12.5
            """);

        var gauge = Family(set, "requests_running");
        Assert.Equal(MetricType.Gauge, gauge.Type);
        Assert.Equal("Requests running now.", gauge.Help);
        Assert.Equal(3, gauge.Samples[0].Value);
        Assert.Equal("a", gauge.LabelValue(gauge.Samples[0], "model"));
        var counter = Family(set, "tokens");
        Assert.Equal(MetricType.Counter, counter.Type);
        Assert.Equal("tokens_total", counter.Samples[0].Name);
        Assert.Equal(12.5, counter.Samples[0].Value);
        Assert.Equal(0, set.MalformedLineCount);
    }

    [Fact]
    public void Parse_EscapedLabelValues_ResolvesBackslashQuoteAndNewline()
    {
        var set = PrometheusTextParser.ParseText("m{path=\"C:\\\\dir\",quote=\"say \\\"hi\\\"\",nl=\"a\\nb\",odd=\"x\\ty\"} 1\n");

        var family = Family(set, "m");
        var sample = family.Samples[0];
        Assert.Equal(@"C:\dir", family.LabelValue(sample, "path"));
        Assert.Equal("say \"hi\"", family.LabelValue(sample, "quote"));
        Assert.Equal("a\nb", family.LabelValue(sample, "nl"));
        Assert.Equal(@"x\ty", family.LabelValue(sample, "odd"));
        Assert.Equal(4, family.LabelsOf(sample).Length);
    }

    [Fact]
    public void Parse_EscapedQuoteAtEndAndTrailingBackslash_ParsesFirstAndRejectsSecond()
    {
        var set = PrometheusTextParser.ParseText("a{v=\"end\\\"\"} 1\nb{v=\"oops\\\n");

        Assert.Equal("end\"", Family(set, "a").LabelValue(Family(set, "a").Samples[0], "v"));
        Assert.Equal(1, set.MalformedLineCount);
        Assert.Contains("unterminated", set.Errors[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RepeatedLabelValues_ShareOneStringAcrossSamples()
    {
        var set = PrometheusTextParser.ParseText("m{model=\"x\",le=\"1\"} 1\nm{model=\"x\",le=\"2\"} 2\n");

        var family = Family(set, "m");
        Assert.Same(family.LabelValue(family.Samples[0], "model"), family.LabelValue(family.Samples[1], "model"));
        Assert.Equal("2", family.LabelValue(family.Samples[1], "le"));
    }

    [Fact]
    public void Parse_HelpWithEscapes_ResolvesBackslashAndNewline()
    {
        var set = PrometheusTextParser.ParseText("# HELP m first\\nsecond \\\\ end\nm 1\n");

        Assert.Equal("first\nsecond \\ end", Family(set, "m").Help);
    }

    [Theory]
    [InlineData("NaN", double.NaN)]
    [InlineData("+Inf", double.PositiveInfinity)]
    [InlineData("Inf", double.PositiveInfinity)]
    [InlineData("-Inf", double.NegativeInfinity)]
    [InlineData("1.5e+07", 1.5e7)]
    [InlineData("-2.5E-3", -0.0025)]
    [InlineData("42", 42)]
    public void Parse_SpecialAndScientificValues_ParsesValue(string text, double expected)
    {
        var set = PrometheusTextParser.ParseText($"m {text}\n");

        Assert.Equal(expected, Family(set, "m").Samples[0].Value);
    }

    [Fact]
    public void Parse_Timestamps_KeepsMillisecondsOrNull()
    {
        var set = PrometheusTextParser.ParseText("a 1 1700000000123\nb{x=\"1\"} 2 -5\nc 3\n");

        Assert.Equal(1700000000123, Family(set, "a").Samples[0].TimestampMs);
        Assert.Equal(-5, Family(set, "b").Samples[0].TimestampMs);
        Assert.Null(Family(set, "c").Samples[0].TimestampMs);
    }

    [Fact]
    public void Parse_CrlfBlankLinesAndOtherComments_ParsesEverySample()
    {
        var set = PrometheusTextParser.ParseText("# just a comment\r\n\r\n# TYPE g gauge\r\ng{l=\"v\"} 7\r\n   \r\n#\r\nh 8\r\n");

        Assert.Equal(7, Family(set, "g").Samples[0].Value);
        Assert.Equal("v", Family(set, "g").LabelValue(Family(set, "g").Samples[0], "l"));
        Assert.Equal(8, Family(set, "h").Samples[0].Value);
        Assert.Equal(0, set.MalformedLineCount);
    }

    [Fact]
    public void Parse_MalformedLines_SkipsThemWithReasonsAndKeepsTheRest()
    {
        var set = PrometheusTextParser.ParseText("""
            good 1
            bad_value abc
            {x="1"} 2
            unterminated{x="1 3
            no_value
            bad_ts 1 12.5
            missing_eq{x"1"} 4
            also_good{a="b",} 5
            """);

        Assert.Equal(6, set.MalformedLineCount);
        Assert.Equal(2, set.SampleCount);
        Assert.Equal(5, Family(set, "also_good").Samples[0].Value);
        Assert.Contains(set.Errors, e => e.LineNumber == 2 && e.Reason.Contains("invalid sample value", StringComparison.Ordinal));
        Assert.Contains(set.Errors, e => e.LineNumber == 4 && e.Reason.Contains("unterminated", StringComparison.Ordinal));
        Assert.Contains(set.Errors, e => e.LineNumber == 6 && e.Reason.Contains("timestamp", StringComparison.Ordinal));
        Assert.False(set.TryGetFamily("bad_value", out _));
    }

    [Fact]
    public void Parse_UnknownTypeAndDuplicateType_RecordsErrorsButKeepsSamples()
    {
        var set = PrometheusTextParser.ParseText("# TYPE x mystery\n# TYPE x gauge\nx 1\n");

        Assert.Equal(2, set.MalformedLineCount);
        Assert.Equal(MetricType.Untyped, Family(set, "x").Type);
        Assert.Equal(1, Family(set, "x").Samples[0].Value);
    }

    [Fact]
    public void Parse_Histogram_GroupsBucketSumAndCountUnderTheFamily()
    {
        var set = PrometheusTextParser.ParseText("""
            # TYPE lat histogram
            lat_bucket{le="0.1"} 1
            lat_bucket{le="1"} 3
            lat_bucket{le="+Inf"} 4
            lat_sum 5.5
            lat_count 4
            """);

        var family = Family(set, "lat");
        Assert.Equal(MetricType.Histogram, family.Type);
        Assert.Equal(5, family.Samples.Length);
        Assert.Equal("+Inf", family.LabelValue(family.Samples[2], "le"));
        Assert.True(set.TryGetFamilyOfSample("lat_sum", out var bySample));
        Assert.Same(family, bySample);
        Assert.False(set.TryGetFamily("lat_bucket", out _));
    }

    [Fact]
    public void Parse_Summary_KeepsQuantileLabels()
    {
        var set = PrometheusTextParser.ParseText("""
            # TYPE rpc summary
            rpc{quantile="0.5"} 0.2
            rpc{quantile="0.99"} 1.5
            rpc_sum 30
            rpc_count 100
            """);

        var family = Family(set, "rpc");
        Assert.Equal(MetricType.Summary, family.Type);
        Assert.Equal("0.99", family.LabelValue(family.Samples[1], "quantile"));
        Assert.Equal(1.5, family.Samples[1].Value);
        Assert.Equal("rpc_count", family.Samples[3].Name);
    }

    [Fact]
    public void ParseUtf8_NonAsciiLabelValue_DecodesUtf8()
    {
        var parser = new PrometheusTextParser();
        var set = new MetricFamilySet();

        parser.ParseUtf8(Encoding.UTF8.GetBytes("\uFEFFm{model=\"modèle-日本\"} 2\n"), set);

        Assert.Equal("modèle-日本", Family(set, "m").LabelValue(Family(set, "m").Samples[0], "model"));
    }

    [Fact]
    public void Parse_ReusedSet_DropsFamiliesAbsentFromTheNewScrape()
    {
        var parser = new PrometheusTextParser();
        var set = new MetricFamilySet();
        parser.Parse("a 1\nb 2\n", set);

        parser.Parse("a 3\n", set);

        Assert.Equal(3, Family(set, "a").Samples[0].Value);
        Assert.Single(Family(set, "a").Samples.ToArray());
        Assert.False(set.TryGetFamily("b", out _));
        Assert.Single(set.Families);
    }

    [Fact]
    public void Parse_RealVllmSample_ParsesEveryLineWithoutErrors()
    {
        string text = File.ReadAllText(TestData.PathOf("engine-metrics/vllm_v1_metrics.txt"));

        var set = PrometheusTextParser.ParseText(text);

        Assert.Equal(0, set.MalformedLineCount);
        Assert.Equal(316, set.SampleCount);
        Assert.Equal(31, set.Families.Count());
    }

    [Fact]
    public void Parse_DuplicateSeries_KeepsTheFirstFlagsTheRestAndNeverSums()
    {
        var set = PrometheusTextParser.ParseText("""
            # TYPE vllm:num_requests_running gauge
            vllm:num_requests_running{model_name="m",engine="0"} 3
            vllm:num_requests_running{model_name="m",engine="1"} 4
            vllm:num_requests_running{engine="0",model_name="m"} 30
            other 1
            other 2
            stamped 1 1000
            stamped 2 2000
            """);

        var running = Family(set, "vllm:num_requests_running");
        Assert.Equal([3.0, 4.0], running.Samples.ToArray().Select(s => s.Value));
        Assert.Equal(7, MetricQueries.Sum(set, "vllm:num_requests_running"));
        Assert.Equal(2, set.DuplicateSeries); // the reordered label set and the second 'other'; distinct timestamps are two samples
        Assert.Equal(2, Family(set, "stamped").Samples.Length);
        Assert.Equal("vllm:num_requests_running{engine=\"0\",model_name=\"m\"} at lines 2 and 4", set.FirstDuplicate);
        Assert.Contains(set.Errors, e => e.LineNumber == 6 && e.Reason.StartsWith("duplicate series other (first at line 5)", StringComparison.Ordinal));
        Assert.StartsWith("2 duplicate series on the page (first: vllm:num_requests_running", set.DuplicateSeriesError, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SameSeriesOnTheNextParse_IsNoDuplicate()
    {
        var parser = new PrometheusTextParser();
        var set = new MetricFamilySet();

        parser.Parse("a{x=\"1\"} 1\n", set);
        parser.Parse("a{x=\"1\"} 2\n", set);

        Assert.Equal(0, set.DuplicateSeries);
        Assert.Null(set.DuplicateSeriesError);
        Assert.Equal(2, Family(set, "a").Samples[0].Value);
    }
}
