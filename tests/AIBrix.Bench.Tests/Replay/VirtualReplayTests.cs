using AIBrix.Bench.Replay;

namespace AIBrix.Bench.Tests.Replay;

public sealed class VirtualReplayTests
{
    private static ReplaySummary Run(string policy, int seed, IReadOnlyList<TraceRequest> trace, int pods = 3, double timeScale = 1, int gateways = 1, int maxModelLen = 32_768) =>
        new VirtualReplay(new ReplayOptions
        {
            TracePath = "test.jsonl", Pods = pods, Policy = policy, Seed = seed, TimeScale = timeScale, Gateways = gateways, MaxModelLen = maxModelLen,
        }, trace).Run().Summarise();

    [Fact]
    public void Run_SameSeed_SameJson()
    {
        var trace = TraceReader.Read(ReplayTestTraces.Mooncake, limit: 120);

        string first = Run("random", 7, trace).ToJson();
        string second = Run("random", 7, trace).ToJson();

        Assert.Equal(first, second);
        int tooLong = trace.Count(r => r.InputTokens + r.OutputTokens > 32_768);
        Assert.Contains($"\"requests\":{120 - tooLong},\"rejected\":{tooLong},", first, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_LeastRequestSameSeed_SameJson()
    {
        var trace = TraceReader.Read(ReplayTestTraces.Mooncake, limit: 120);

        Assert.Equal(Run("least-request", 3, trace).ToJson(), Run("least-request", 3, trace).ToJson());
    }

    [Fact]
    public void Run_RandomWithOtherSeed_RoutesDifferently()
    {
        var trace = TraceReader.Read(ReplayTestTraces.Mooncake, limit: 120);

        var a = Run("random", 1, trace);
        var b = Run("random", 2, trace);

        Assert.NotEqual(a.PodRequests, b.PodRequests);
    }

    [Fact]
    public void Run_EveryRequestFinishesAndIsMeasured()
    {
        var trace = ReplayTestTraces.SharedPrefix(60, 4);

        var s = Run("least-request", 0, trace);

        Assert.Equal(60, s.Requests);
        Assert.Equal(60, s.PodRequests.Sum());
        Assert.True(s.TtftP50Ms > 0 && s.TtftP50Ms <= s.TtftP90Ms && s.TtftP90Ms <= s.TtftP99Ms);
        Assert.True(s.E2eP50Ms >= s.TtftP50Ms);
        Assert.True(s.ThroughputTokS > 0);
    }

    [Fact]
    public void Run_OracleOnSharedPrefixes_HitsMoreThanRandom()
    {
        var trace = ReplayTestTraces.SharedPrefix(120, 6);

        var oracle = Run("oracle", 0, trace, pods: 4);
        var random = Run("random", 0, trace, pods: 4);

        Assert.True(oracle.PrefixHitRate > random.PrefixHitRate, $"oracle {oracle.PrefixHitRate} vs random {random.PrefixHitRate}");
        Assert.True(oracle.PrefixHitRate > 0.6, $"oracle {oracle.PrefixHitRate}");
    }

    [Fact]
    public void Run_RequestsLongerThanTheContext_RejectedAndCountedWhileTheRestFinish()
    {
        var trace = ReplayTestTraces.SharedPrefix(30, 3);
        trace[7] = trace[7] with { InputTokens = 40_000, BlockIds = [.. Enumerable.Range(0, 79).Select(i => 900_000L + i)] };
        trace[20] = trace[20] with { OutputTokens = 31_000 }; // fits alone, not with its 2,248-token prompt

        var s = Run("least-request", 0, trace);

        Assert.Equal(2, s.Rejected);
        Assert.Equal(28, s.Requests);
        Assert.Equal(0, s.Errors);
        Assert.Equal(30, s.PodRequests.Sum());
        Assert.Contains("\"rejected\":2", s.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WholeMooncakeHeadAtSmallContext_NothingAbortsTheRun()
    {
        var trace = TraceReader.Read(ReplayTestTraces.Mooncake, limit: 200);
        int tooLong = trace.Count(r => r.InputTokens + r.OutputTokens > 8192);

        var s = Run("prefix-cache", 1, trace, maxModelLen: 8192);

        Assert.True(tooLong > 0, "the sample must hold requests longer than the context");
        Assert.Equal(tooLong, s.Rejected);
        Assert.Equal(200 - tooLong, s.Requests);
    }

    [Fact]
    public void Run_FourGateways_SameSeedSameJson()
    {
        var trace = ReplayTestTraces.SharedPrefix(80, 4);

        string first = Run("prefix-cache", 5, trace, pods: 4, gateways: 4).ToJson();
        string second = Run("prefix-cache", 5, trace, pods: 4, gateways: 4).ToJson();

        Assert.Equal(first, second);
        Assert.Contains("\"gateways\":4", first, StringComparison.Ordinal);
        Assert.Contains("\"requests\":80", first, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_OneSharedPrefixBehindFourGateways_EachReplicaLearnsItsOwnPlacement()
    {
        // One system prompt, arrivals faster than the pods drain: one gateway keeps the group where its index put it,
        // four replicas each place it from their own index, so the group lands on more pods.
        var trace = ReplayTestTraces.SharedPrefix(40, 1);

        var one = Run("prefix-cache", 2, trace, pods: 4, gateways: 1);
        var four = Run("prefix-cache", 2, trace, pods: 4, gateways: 4);

        Assert.True(four.PodRequests.Count(n => n > 0) > one.PodRequests.Count(n => n > 0),
            $"one gateway [{string.Join(',', one.PodRequests)}], four [{string.Join(',', four.PodRequests)}]");
    }

    [Fact]
    public void KvEvents_SubscribedPerPod_EventsRebuildEachEnginesCache()
    {
        var trace = ReplayTestTraces.SharedPrefix(60, 3);
        var replay = new VirtualReplay(new ReplayOptions { TracePath = "t.jsonl", Pods = 2, Policy = "random", NumGpuBlocks = 400 }, trace);
        var cached = new[] { new HashSet<ulong>(), new HashSet<ulong>() };
        long removed = 0;
        for (int pod = 0; pod < 2; pod++)
        {
            var set = cached[pod];
            replay.KvEvents(pod).Subscribe((_, batch) =>
            {
                foreach (var e in batch.Events)
                {
                    if (e is AIBrix.KvEvents.BlockStored s)
                    {
                        set.UnionWith(s.BlockHashes);
                    }
                    else if (e is AIBrix.KvEvents.BlockRemoved r)
                    {
                        set.ExceptWith(r.BlockHashes);
                        removed += r.BlockHashes.Length;
                    }
                }
            });
        }

        replay.Run();

        Assert.True(removed > 0, "400 blocks per pod must evict");
        Assert.Equal(["pod-0", "pod-1"], replay.PodNames);
        Assert.Equal(cached[0].Count + cached[1].Count, replay.CachedBlocks().Sum(c => c.Count));
        Assert.All(Enumerable.Range(0, 2), p => Assert.True(cached[p].SetEquals(replay.CachedBlocks()[p])));
    }

    [Fact]
    public void Create_UnknownPolicy_ErrorListsKnownNames()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new VirtualReplay(new ReplayOptions { TracePath = "x.jsonl", Policy = "fastest-please" }, []));

        Assert.Contains("fastest-please", error.Message, StringComparison.Ordinal);
        Assert.Contains("least-request", error.Message, StringComparison.Ordinal);
        Assert.Contains("random", error.Message, StringComparison.Ordinal);
        Assert.Contains("oracle", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("random,least-request,oracle", new[] { "random", "least-request", "oracle" })]
    [InlineData("random,prefix-cache:2,least-request:1,oracle", new[] { "random", "prefix-cache:2,least-request:1", "oracle" })]
    [InlineData("a:1,b:1|c:1,d:2", new[] { "a:1,b:1", "c:1,d:2" })]
    public void SplitPolicies_KeepsWeightedMixesWhole(string text, string[] expected)
    {
        Assert.Equal(expected, CompareCommand.SplitPolicies(text));
    }
}
