using AIBrix.Bench.Replay;

namespace AIBrix.Bench.Tests.Replay;

public sealed class SharedPrefixWorkloadTests
{
    [Fact]
    public void Read_GeneratedSpec_GroupsShareExactlyTheirSystemPrompt()
    {
        var trace = TraceReader.Read("gen:shared-prefix?groups=3&prompts=4&system=2048&question=300&output=64&rate=5&arrival=uniform");

        Assert.Equal(12, trace.Count);
        Assert.All(trace, r => Assert.Equal((2048 + 300, 64, 5), (r.InputTokens, r.OutputTokens, r.BlockIds.Length)));
        var groups = trace.GroupBy(r => r.BlockIds[0]).ToList();
        Assert.Equal(3, groups.Count);
        Assert.All(groups, g =>
        {
            Assert.Equal(4, g.Count());
            Assert.Single(g.Select(r => string.Join(',', r.BlockIds.Take(4))).Distinct());
        });
        Assert.Equal(12, trace.Select(r => r.BlockIds[4]).Distinct().Count());
        var systemBlocks = groups.SelectMany(g => g.First().BlockIds.Take(4)).ToList();
        Assert.Equal(systemBlocks.Count, systemBlocks.Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 12).Select(i => i / 5.0), trace.Select(r => r.ArrivalSeconds));
    }

    [Fact]
    public void Generate_SamePromptsSentAgain_WhenMoreRequestsThanPrompts()
    {
        var trace = SharedPrefixWorkload.Generate(new SharedPrefixWorkload.Options { Groups = 2, PromptsPerGroup = 3, Requests = 14 });

        Assert.Equal(14, trace.Count);
        Assert.Equal(6, trace.Select(r => string.Join(',', r.BlockIds)).Distinct().Count());
        Assert.True(trace.Zip(trace.Skip(1)).All(p => p.First.ArrivalSeconds < p.Second.ArrivalSeconds));
    }

    [Fact]
    public void Generate_SameSeed_SameTraceOtherSeedOtherOrder()
    {
        var a = TraceReader.Read("gen:shared-prefix?seed=4&groups=4&prompts=8");
        var b = TraceReader.Read("gen:shared-prefix?seed=4&groups=4&prompts=8");
        var c = TraceReader.Read("gen:shared-prefix?seed=5&groups=4&prompts=8");

        Assert.Equal(a.Select(r => (r.ArrivalSeconds, r.BlockIds[^1])), b.Select(r => (r.ArrivalSeconds, r.BlockIds[^1])));
        Assert.NotEqual(a.Select(r => r.BlockIds[^1]), c.Select(r => r.BlockIds[^1]));
    }

    [Fact]
    public void Read_InferencePerfNamesAndRounding_SameAsShortKeys()
    {
        var longNames = TraceReader.Read("gen:shared-prefix?num_groups=2&num_prompts_per_group=2&system_prompt_len=1000&question_len=50&output_len=9");
        var shortNames = TraceReader.Read("gen:shared-prefix?groups=2&prompts=2&system=1000&question=50&output=9");

        Assert.Equal(longNames.Select(r => string.Join(',', r.BlockIds)), shortNames.Select(r => string.Join(',', r.BlockIds)));
        Assert.All(longNames, r => Assert.Equal(1024 + 50, r.InputTokens)); // 1,000 rounds to two 512-token blocks
    }

    [Fact]
    public void Read_Limit_FirstRequestsOnly()
    {
        Assert.Equal(7, TraceReader.Read("gen:shared-prefix", limit: 7).Count);
    }

    [Theory]
    [InlineData("gen:shared-prefix?groupz=3", "unknown key(s) groupz")]
    [InlineData("gen:shared-prefix?groups=0", "groups=0 is not a whole number of at least 1")]
    [InlineData("gen:shared-prefix?rate=fast", "rate=fast is not a number")]
    [InlineData("gen:shared-prefix?groups=2&num_groups=2", "say the same thing")]
    [InlineData("gen:shared-prefix?arrival=bursty", "arrival=bursty is not poisson or uniform")]
    [InlineData("gen:shared-prefix?groups", "'groups' is not key=value")]
    [InlineData("gen:staircase?rate=3", "unknown generator 'staircase'")]
    [InlineData("gen:", "name a generator")]
    public void Read_BadSpec_ClearError(string spec, string problem)
    {
        var error = Assert.Throws<FormatException>(() => TraceReader.Read(spec));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_SharedPrefix_OracleHitsWhatTheSystemPromptsAllow()
    {
        var trace = TraceReader.Read("gen:shared-prefix?groups=2&prompts=10&system=2048&question=200&output=8&rate=2");

        var s = new VirtualReplay(new ReplayOptions { TracePath = "gen", Pods = 2, Policy = "oracle" }, trace).Run().Summarise();

        // At best every prompt but the first of its group finds the 2,048-token system prompt cached (at 2 requests/s
        // each prefill ends before the next arrival, so only the first of each group misses).
        double best = 18.0 * 2048 / (20 * (2048 + 200));
        Assert.Equal(20, s.Requests);
        Assert.InRange(s.PrefixHitRate, best * 0.9, best);
    }
}
