namespace AIBrix.EngineSim.Tests.Model;

public class EngineModelTests
{
    private static readonly StepTimeProfile Profile = StepTimeProfile.H100Llama8B;

    private static int[] Tokens(int count, int salt)
    {
        var tokens = new int[count];
        for (int i = 0; i < count; i++)
        {
            tokens[i] = 1000 + (int)((uint)(i * 2654435761u + salt * 40503u) % 100_000u);
        }

        return tokens;
    }

    /// <summary>Submits one request at the model's current time and runs the model until it finishes.</summary>
    private static (double Ttft, int Cached, List<EngineEvent> Events) RunAlone(EngineModel model, int[] prompt, int output = 1)
    {
        var request = new EngineRequest { PromptTokens = prompt, OutputTokens = output };
        double start = model.Now;
        model.Submit(request, start);
        var events = new List<EngineEvent>();
        while (!events.Exists(e => e.Request == request && e.Kind == EngineEventKind.Finished))
        {
            Assert.False(double.IsPositiveInfinity(model.NextEventTime), "engine went idle before the request finished");
            model.AdvanceTo(model.NextEventTime);
            model.DrainEvents(events);
        }

        var first = events.Single(e => e.Request == request && e.Kind == EngineEventKind.FirstToken);
        return (first.Time - start, first.CachedTokens, events);
    }

    [Fact]
    public void PendingUncachedPrefillTokens_WaitingPrompts_CountOnlyWhatTheCacheAndTheQueueAheadDoNotHold()
    {
        var model = new EngineModel(new EngineConfig());
        int[] a = Tokens(1000, 1);
        RunAlone(model, a); // A's 62 full blocks (992 tokens) are cached now
        model.Submit(new EngineRequest { PromptTokens = Tokens(20_000, 2), OutputTokens = 1 }, model.Now); // a step in flight
        long uncachedBefore = model.PendingUncachedPrefillTokens();
        long wholeBefore = model.PendingPrefillTokens();

        int[] b = Tokens(500, 3);
        model.Submit(new EngineRequest { PromptTokens = [.. a, .. Tokens(100, 4)], OutputTokens = 1 }, model.Now);
        model.Submit(new EngineRequest { PromptTokens = b, OutputTokens = 1 }, model.Now);
        model.Submit(new EngineRequest { PromptTokens = b, OutputTokens = 1 }, model.Now);

        Assert.Equal(3, model.WaitingCount);
        // A + 100: 1,100 − 992 cached; B: 500 cold; B again: its 31 blocks come from the B ahead, the last 4 tokens do not.
        Assert.Equal(108 + 500 + 4, model.PendingUncachedPrefillTokens() - uncachedBefore);
        Assert.Equal(1100 + 500 + 500, model.PendingPrefillTokens() - wholeBefore);
    }

    [Fact]
    public void Submit_LongerUncachedPrompt_TtftGrowsAsStepModelPredicts()
    {
        double previous = 0;
        foreach (int length in new[] { 100, 1000, 4000 })
        {
            var model = new EngineModel(new EngineConfig());
            var (ttft, cached, _) = RunAlone(model, Tokens(length, length));

            Assert.Equal(0, cached);
            Assert.Equal(Profile.StepSeconds(length, 0, length), ttft, 9);
            Assert.True(ttft > previous, $"TTFT for {length} tokens ({ttft}) should exceed {previous}");
            previous = ttft;
        }
    }

    [Fact]
    public void Submit_Repeated10kPrefix_CutsTtftByPredictedFactorAndCountsHits()
    {
        var model = new EngineModel(new EngineConfig());
        int[] prefix = Tokens(10_000, 7);
        int[] first = [.. prefix, .. Tokens(100, 1)];
        int[] second = [.. prefix, .. Tokens(100, 2)];

        var (coldTtft, coldCached, _) = RunAlone(model, first);
        long hitsBefore = model.Counters.PrefixCacheHits;
        var (warmTtft, warmCached, _) = RunAlone(model, second);

        // Cold: 10,100 tokens in two chunks (8,192-token budget). Warm: 625 cached blocks, 100 tokens computed.
        double expectedCold = Profile.StepSeconds(8192, 0, 8192) + Profile.StepSeconds(10_100 - 8192, 0, 10_100);
        double expectedWarm = Profile.StepSeconds(100, 0, 10_100);
        Assert.Equal(0, coldCached);
        Assert.Equal(10_000, warmCached);
        Assert.Equal(10_000, model.Counters.PrefixCacheHits - hitsBefore);
        Assert.Equal(expectedCold, coldTtft, 9);
        Assert.Equal(expectedWarm, warmTtft, 9);
        Assert.True(coldTtft / warmTtft > 10, $"speed-up {coldTtft / warmTtft:F1}x");
    }

    [Fact]
    public void Submit_CachePressure_EvictsLeastRecentlyFreedTailBlocksFirst()
    {
        var model = new EngineModel(new EngineConfig { NumGpuBlocks = 64 });
        int[] a = Tokens(512, 1);

        RunAlone(model, a);
        Assert.Equal(32, model.CachedBlockCount);
        RunAlone(model, Tokens(900, 2));
        var (_, cachedOnReturn, _) = RunAlone(model, a);

        // B needed 57 blocks: 32 never used, then 25 of A's, tail first, so A's first 7 blocks survive.
        Assert.True(model.Evictions >= 25);
        Assert.Equal(7 * 16, cachedOnReturn);
    }

    [Fact]
    public void AdvanceTo_Overload_PreemptsAndStillFinishesEveryRequest()
    {
        var model = new EngineModel(new EngineConfig { NumGpuBlocks = 40, MaxNumSeqs = 8 });
        var requests = Enumerable.Range(0, 4)
            .Select(i => new EngineRequest { PromptTokens = Tokens(100, i), OutputTokens = 100 })
            .ToList();
        foreach (var r in requests)
        {
            model.Submit(r, 0);
        }

        var events = new List<EngineEvent>();
        while (!double.IsPositiveInfinity(model.NextEventTime))
        {
            model.AdvanceTo(model.NextEventTime);
            model.DrainEvents(events);
        }

        Assert.True(model.Counters.Preemptions > 0);
        Assert.Contains(events, e => e.Kind == EngineEventKind.Preempted);
        foreach (var r in requests)
        {
            Assert.Single(events, e => e.Request == r && e.Kind == EngineEventKind.FirstToken);
            Assert.Equal(100, events.Single(e => e.Request == r && e.Kind == EngineEventKind.Finished).OutputTokens);
        }

        Assert.Equal(400, model.Counters.GenerationTokens);
        Assert.Equal(0, model.RunningCount + model.WaitingCount);
        Assert.Equal(40, model.FreeBlocks);
    }

    [Fact]
    public void AdvanceTo_LongPrompt_PrefillsInBudgetSizedChunks()
    {
        var model = new EngineModel(new EngineConfig { MaxNumBatchedTokens = 2048 });

        var (ttft, _, _) = RunAlone(model, Tokens(5000, 3));

        Assert.Equal(3, model.Counters.Steps);
        double expected = Profile.StepSeconds(2048, 0, 2048) + Profile.StepSeconds(2048, 0, 4096) + Profile.StepSeconds(904, 0, 5000);
        Assert.Equal(expected, ttft, 9);
    }

    [Fact]
    public void Submit_MoreThanMaxNumSeqs_ExtraRequestsWait()
    {
        var model = new EngineModel(new EngineConfig { MaxNumSeqs = 2 });
        for (int i = 0; i < 5; i++)
        {
            model.Submit(new EngineRequest { PromptTokens = Tokens(50, i), OutputTokens = 10 }, 0);
        }

        // The first arrival started a step on its own; the others join at the next step boundary.
        Assert.Equal(1, model.RunningCount);
        model.AdvanceTo(model.NextEventTime);

        Assert.Equal(2, model.RunningCount);
        Assert.Equal(3, model.WaitingCount);
    }

    [Fact]
    public void Replay_SameWorkload_ProducesIdenticalEvents()
    {
        static List<(long, EngineEventKind, double, int, int)> Replay()
        {
            var model = new EngineModel(new EngineConfig { NumGpuBlocks = 300, MaxNumSeqs = 16 });
            var rng = new Random(42);
            var log = new List<EngineEvent>();
            double t = 0;
            for (int i = 0; i < 200; i++)
            {
                t += rng.NextDouble() * 0.05;
                model.Submit(new EngineRequest { PromptTokens = Tokens(50 + rng.Next(400), rng.Next(5)), OutputTokens = 1 + rng.Next(60) }, t);
                model.DrainEvents(log);
            }

            while (!double.IsPositiveInfinity(model.NextEventTime))
            {
                model.AdvanceTo(model.NextEventTime);
                model.DrainEvents(log);
            }

            return log.Select(e => (e.Request.Id, e.Kind, e.Time, e.OutputTokens, e.CachedTokens)).ToList();
        }

        var first = Replay();
        var second = Replay();

        Assert.True(first.Count > 200 * 2);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Abort_RunningRequest_FreesItsBlocks()
    {
        var model = new EngineModel(new EngineConfig { NumGpuBlocks = 100 });
        var request = new EngineRequest { PromptTokens = Tokens(320, 1), OutputTokens = 500 };
        model.Submit(request, 0);
        model.AdvanceTo(0.5);

        Assert.True(model.Abort(request));
        model.AdvanceTo(1.0);

        Assert.Equal(0, model.RunningCount);
        Assert.Equal(100, model.FreeBlocks);
        Assert.Equal(1, model.Counters.Aborted);
    }

    [Fact]
    public void IsBlockCached_AfterPrefill_MatchesPrefixHasherChain()
    {
        var model = new EngineModel(new EngineConfig());
        int[] prompt = Tokens(64, 9);

        RunAlone(model, prompt);

        var hashes = PrefixHasher.BlockHashes(prompt, 16, PrefixHasher.ChainSeed(null));
        Assert.All(hashes, h => Assert.True(model.IsBlockCached(h)));
        Assert.False(model.IsBlockCached(PrefixHasher.BlockHashes(prompt, 16, PrefixHasher.ChainSeed("adapter"))[0]));
        var copy = new HashSet<ulong>();
        model.CopyCachedBlockHashes(copy);
        Assert.Equal(hashes.ToHashSet(), copy);
    }

    [Fact]
    public void Submit_PromptPlusOutputBeyondMaxModelLen_Throws()
    {
        var model = new EngineModel(new EngineConfig { MaxModelLen = 100 });

        Assert.Throws<ArgumentException>(() => model.Submit(new EngineRequest { PromptTokens = Tokens(90, 0), OutputTokens = 20 }, 0));
    }

    [Theory]
    [InlineData(100, 1, "input_tokens", 100)]
    [InlineData(150, 1, "input_tokens", 150)]
    [InlineData(90, 11, "max_tokens", 11)]
    public void TrySubmit_BeyondContext_RefusesAsVllmAndLeavesTheModelUntouched(int prompt, int output, string param, int value)
    {
        var model = new EngineModel(new EngineConfig { MaxModelLen = 100 });

        bool queued = model.TrySubmit(new EngineRequest { PromptTokens = Tokens(prompt, 0), OutputTokens = output }, 5.0, out var refusal);

        Assert.False(queued);
        Assert.Equal(param, refusal!.Param);
        Assert.Equal(value, refusal.Value);
        Assert.EndsWith($"(parameter={param}, value={value})", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(0, model.Now);
        Assert.Equal(0, model.WaitingCount);
    }

    [Fact]
    public void TrySubmit_ExactlyTheContext_Queues()
    {
        var model = new EngineModel(new EngineConfig { MaxModelLen = 100 });

        Assert.True(model.TrySubmit(new EngineRequest { PromptTokens = Tokens(90, 0), OutputTokens = 10 }, 0, out var refusal));
        Assert.Null(refusal);
    }

    [Fact]
    public void CheckContextLength_CacheSmallerThanContext_CapsAtTheCache()
    {
        var config = new EngineConfig { NumGpuBlocks = 10, MaxModelLen = 32_768 };

        Assert.Equal(160, config.EffectiveMaxModelLen);
        Assert.Contains("maximum context length is 160 tokens", config.CheckContextLength(150, 20)!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ContextLengthError_ToJson_IsVllmsErrorBody()
    {
        var error = ContextLengthError.Check(100, 120, 5)!;

        using var json = System.Text.Json.JsonDocument.Parse(error.ToJson());
        var body = json.RootElement.GetProperty("error");
        Assert.Equal(error.Message, body.GetProperty("message").GetString());
        Assert.Equal("BadRequestError", body.GetProperty("type").GetString());
        Assert.Equal("input_tokens", body.GetProperty("param").GetString());
        Assert.Equal(400, body.GetProperty("code").GetInt32());
    }

    [Fact]
    public void AdvanceTo_TokenEventsOff_OnlyFirstTokenAndFinished()
    {
        var model = new EngineModel(new EngineConfig { EmitTokenEvents = false });

        var (_, _, events) = RunAlone(model, Tokens(40, 1), output: 30);

        Assert.Equal([EngineEventKind.FirstToken, EngineEventKind.Finished], events.Select(e => e.Kind));
        Assert.Equal(30, events[^1].OutputTokens);
        Assert.Equal(29, model.Counters.InterTokenLatency.Count);
    }

    [Fact]
    public void RunningAndWaitingAdapters_LoraRequests_AreReported()
    {
        var model = new EngineModel(new EngineConfig { MaxNumSeqs = 1 });
        model.Submit(new EngineRequest { PromptTokens = Tokens(20, 1), OutputTokens = 50, LoraAdapter = "sql-lora" }, 0);
        model.Submit(new EngineRequest { PromptTokens = Tokens(20, 2), OutputTokens = 50, LoraAdapter = "summarizer" }, 0);
        model.AdvanceTo(0.1);

        Assert.Equal(["sql-lora"], model.RunningAdapters());
        Assert.Equal(["summarizer"], model.WaitingAdapters());
    }

    [Fact]
    public void Submit_SamePromptOtherAdapter_DoesNotHitBaseModelCache()
    {
        var model = new EngineModel(new EngineConfig());
        int[] prompt = Tokens(320, 5);
        RunAlone(model, prompt);

        var request = new EngineRequest { PromptTokens = prompt, OutputTokens = 1, LoraAdapter = "a" };
        model.Submit(request, model.Now);
        var events = new List<EngineEvent>();
        model.AdvanceTo(model.Now + 10);
        model.DrainEvents(events);

        Assert.Equal(0, events.Single(e => e.Kind == EngineEventKind.FirstToken).CachedTokens);
    }
}
