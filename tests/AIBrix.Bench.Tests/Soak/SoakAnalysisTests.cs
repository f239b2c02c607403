using AIBrix.Bench.Soak;

namespace AIBrix.Bench.Tests.Soak;

/// <summary>The soak's verdicts on recorded requests: violations, attribution of failures, slopes.</summary>
public sealed class SoakAnalysisTests
{
    private static readonly SoakUser Alice = new("alice", "k", Rpm: 2, Tpm: 100, Tight: true);

    private static SoakRecord Admitted(double start, long tokens = 10, string user = "alice") =>
        new("standalone", 0, RequestKind.Chat, user, start, start + 0.2, 200, null, tokens);

    [Fact]
    public void Violations_ThreeAdmittedInAMinuteUnderRpmTwo_IsOne()
    {
        var violations = SoakAnalysis.Violations([Admitted(0), Admitted(10), Admitted(20)], [Alice]);

        var v = Assert.Single(violations);
        Assert.Equal(("alice", "rpm", 3L, 2L), (v.User, v.Limit, v.Admitted, v.Allowed));
    }

    [Fact]
    public void Violations_SpreadOverMoreThanAMinuteOrRefused_IsNone()
    {
        var refused = Admitted(5) with { Status = 429 };

        Assert.Empty(SoakAnalysis.Violations([Admitted(0), Admitted(30), refused, Admitted(61), Admitted(95)], [Alice]));
    }

    [Fact]
    public void Violations_RequestsWhoseAdmissionMayLieOutsideTheWindow_AreNotCounted()
    {
        // The third ends 60.1 s after the first started: its admission may have come after the first left the window.
        var late = Admitted(30) with { End = 60.1 };

        Assert.Empty(SoakAnalysis.Violations([Admitted(0), Admitted(10), late], [Alice]));
    }

    [Fact]
    public void Violations_TokensChargedBeyondTpm_IsATpmViolation()
    {
        var v = Assert.Single(SoakAnalysis.Violations([Admitted(0, 60), Admitted(1, 50)], [Alice with { Rpm = 0 }]));

        Assert.Equal(("tpm", 110L, 100L), (v.Limit, v.Admitted, v.Allowed));
    }

    [Fact]
    public void Classify_FailureDuringAFault_IsLaidToIt_OtherwiseUnexplained()
    {
        var kill = new FaultEvent(FaultKind.EngineKill, 2, 10, 2) { ReadySeconds = 13 };
        var during = Admitted(12) with { Status = 502, Error = "upstream_unavailable" };
        var long_after = Admitted(40) with { Status = 502 };

        var classified = SoakAnalysis.Classify([during, long_after, Admitted(11)], [kill]);

        Assert.Equal(["engine-kill(pod-2)", SoakAnalysis.Unexplained, null], classified.Select(c => c.Cause));
        Assert.Equal([SoakAnalysis.Failed, SoakAnalysis.Failed, SoakAnalysis.Ok], classified.Select(c => c.Outcome));
    }

    [Fact]
    public void Classify_LimitsUnavailable_GoesToTheRedisRestartAmongSuspects()
    {
        var redis = new FaultEvent(FaultKind.RedisRestart, 0, 10, 1) { ReadySeconds = 11 };
        var reload = new FaultEvent(FaultKind.ConfigReload, 0, 11, 0);
        var refused = Admitted(11.5) with { Status = 503, Error = "limits_unavailable" };

        Assert.Equal("redis-restart", Assert.Single(SoakAnalysis.Classify([refused], [redis, reload])).Cause);
    }

    [Theory]
    [InlineData(RequestKind.Malformed, 400, true)]
    [InlineData(RequestKind.Malformed, 200, false)]
    [InlineData(RequestKind.HugeBody, 413, true)]
    [InlineData(RequestKind.BadKey, 401, true)]
    [InlineData(RequestKind.BadKey, 429, false)]
    [InlineData(RequestKind.TooManyTokens, 429, true)]
    [InlineData(RequestKind.OverLimit, 429, true)]
    [InlineData(RequestKind.Chat, 503, false)]
    public void Expected_StatusPerKind(RequestKind kind, int status, bool expected)
    {
        Assert.Equal(expected, SoakAnalysis.Expected(kind, status));
    }

    [Fact]
    public void Slope_OfALine_IsItsGradient()
    {
        Assert.Equal(2.5, SoakAnalysis.Slope([(0, 1), (1, 3.5), (2, 6), (4, 11)]), 9);
        Assert.Equal(0, SoakAnalysis.Slope([(3, 1)]));
    }
    /// <summary>
    /// A GC heap sampled every 2 s for 10 minutes: a sawtooth that grows 4 MB a sample from its floor and is collected
    /// every 6 s... 30 s (period varied), plus a floor rising by <paramref name="floorMbPerMinute"/>; the teeth's peaks
    /// grow late in the run, as a line through the sawtooth sees them.
    /// </summary>
    private static List<MemorySample> Sawtooth(double floorMbPerMinute, double minutes = 10)
    {
        var samples = new List<MemorySample>();
        int tooth = 0, period = 3;
        for (double t = 0; t <= minutes * 60; t += 2)
        {
            if (tooth >= period)
            {
                tooth = 0;
                period = 3 + (int)(t / 60 % 4 * 3); // 3..12 samples between collections
            }

            double floor = 20 + (floorMbPerMinute * t / 60);
            samples.Add(new MemorySample("standalone-0", 1, t, 200, floor + (tooth * (t > minutes * 30 ? 9 : 4))));
            tooth++;
        }

        return samples;
    }

    [Fact]
    public void Trends_SawtoothOverAFlatFloor_IsNoLeakThoughItsLineRises()
    {
        var trend = Assert.Single(SoakAnalysis.Trends(Sawtooth(0)));

        Assert.True(trend.HeapSlope > 2, $"the line through the teeth rises {trend.HeapSlope}");
        Assert.InRange(trend.HeapFloorSlope, -0.01, 0.01);
        Assert.Equal(20, trend.HeapFloorStartMb, 6);
        Assert.Empty(Result([trend]).Leaks);
    }

    [Fact]
    public void Trends_FloorRising3MbPerMinute_IsALeakThatFailsTheSoak()
    {
        var trend = Assert.Single(SoakAnalysis.Trends(Sawtooth(3)));

        Assert.InRange(trend.HeapFloorSlope, 2.7, 3.3);
        var result = Result([trend]);
        Assert.Single(result.Leaks);
        Assert.Contains(result.Problems(), p => p.StartsWith("standalone-0 leaks: its GC heap floor rises", StringComparison.Ordinal));
    }

    [Fact]
    public void Trends_RisingFloorOverTooShortALife_IsNotJudged()
    {
        var trend = Assert.Single(SoakAnalysis.Trends(Sawtooth(3, minutes: 3)));

        Assert.True(trend.HeapFloorSlope > 2);
        Assert.Empty(Result([trend]).Leaks);
    }

    [Fact]
    public void Floor_TakesTheLowestSampleOfEachWindow_AndMergesAShortTail()
    {
        MemorySample At(double t, double heap) => new("r", 1, t, 0, heap);
        var floor = SoakAnalysis.Floor([At(0, 50), At(10, 5), At(29, 40), At(30, 60), At(45, 7), At(61, 1)], s => s.HeapMb);

        Assert.Equal([5.0, 1.0], floor.Select(p => p.Y));
    }

    private static SoakResult Result(IReadOnlyList<SoakAnalysis.MemoryTrend> trends) =>
        new(new SoakSettings(), [], [], [], [], 0, [], trends, 600);

    [Fact]
    public void ClassifySplit_FailuresInTheWarmup_AreReportedApartAndFailNothing()
    {
        var coldTimeout = new SoakRecord("extproc", 0, RequestKind.Chat, "alice", -20, -12, 0, "timeout", 0);
        var laterTimeout = coldTimeout with { Start = 30, End = 38 };

        var (measured, warmup) = SoakAnalysis.ClassifySplit([coldTimeout, Admitted(-5), Admitted(10)], []);

        Assert.Equal([-20.0, -5.0], warmup.Select(c => c.Record.Start).Order());
        Assert.Equal(SoakAnalysis.Failed, warmup.Single(c => c.Record.Start == -20).Outcome);
        Assert.Equal(SoakAnalysis.Ok, Assert.Single(measured).Outcome);
        var result = new SoakResult(new SoakSettings(), [], measured, [], [], 0, [], [], 60) { Warmup = warmup };
        Assert.Equal(0, result.UnexplainedFailures);
        Assert.Empty(result.Problems());
        // The same failure after the warm-up is unexplained and fails the soak.
        var (late, _) = SoakAnalysis.ClassifySplit([laterTimeout], []);
        Assert.Equal(SoakAnalysis.Unexplained, Assert.Single(late).Cause);
        Assert.Contains("1 unexplained failure(s)", new SoakResult(new SoakSettings(), [], late, [], [], 0, [], [], 60).Problems());
    }

    [Fact]
    public void Violations_AdmissionsInTheWarmup_CountAsAnyOther()
    {
        // Two of alice's three admissions in a minute came during the warm-up: limits hold from the first request.
        var violations = SoakAnalysis.Violations([Admitted(-30), Admitted(-10), Admitted(5)], [Alice]);

        Assert.Equal(("rpm", 3L), (Assert.Single(violations).Limit, violations[0].Admitted));
    }

    [Fact]
    public void Problems_APartThatDidNotRecover_IsACauseOfFailure()
    {
        var fault = new FaultEvent(FaultKind.GatewayRestart, 1, 120, 5) { RecoveryError = "did not recover: http://127.0.0.1:1/readyz did not answer 2xx within 60 s" };

        var problems = new SoakResult(new SoakSettings(), [fault], [], [], [], 0, [], [], 600).Problems().ToList();

        Assert.Equal(["gateway-restart(replica-1) at 120 s did not recover: http://127.0.0.1:1/readyz did not answer 2xx within 60 s"], problems);
    }

    [Theory]
    [InlineData(2, 60, 60)] // a quick start: the floor
    [InlineData(30, 60, 120)] // four times the first start
    [InlineData(200, 60, 300)] // bounded
    public void RecoveryBound_ScalesWithTheFirstStart(double startSeconds, double floorSeconds, double expected)
    {
        Assert.Equal(expected, SoakFleet.RecoveryBound(startSeconds, floorSeconds).TotalSeconds, 6);
    }

    [Fact]
    public void SummaryJson_NothingAnsweredInTheWarmupOrAfter_IsJsonWithNullLatencies()
    {
        // A run without a warm-up (or where nothing succeeded) has no latency to report: JSON has no NaN.
        var failed = new SoakRecord("extproc", 0, RequestKind.Chat, "alice", 1, 9, 0, "timeout", 0);
        var result = new SoakResult(new SoakSettings { WarmupSeconds = 0 }, [], SoakAnalysis.Classify([failed], []), [], [], 0, [], [], 60);

        using var doc = System.Text.Json.JsonDocument.Parse(SoakReport.SummaryJson(result));

        Assert.Equal(System.Text.Json.JsonValueKind.Null, doc.RootElement.GetProperty("latency_ok_ms").GetProperty("p99").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, doc.RootElement.GetProperty("warmup").GetProperty("latency_ok_ms").GetProperty("p50").ValueKind);
        Assert.Equal(0, doc.RootElement.GetProperty("warmup").GetProperty("requests").GetInt32());
    }
}
