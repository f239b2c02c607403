using AIBrix.Controllers.ModelAdapters;
using AIBrix.Controllers.ModelAdapters.Steps;
using AIBrix.Kubernetes.Crds;
using k8s.Models;

namespace AIBrix.Controllers.Tests.ModelAdapters.Steps;

public sealed class ReadyVerdictTests
{
    // Defaults: 5 attempts, retries 5 s doubling to 60 s, resync 30 s.
    private static readonly ModelAdapterOptions Options = new();

    [Theory]
    // loaded, replicas, failure, attempt -> phase, Ready, reason, message, requeue seconds, gave up
    [InlineData(1, 1, null, 0, "Running", true, "Loaded", "1/1 replicas loaded", 30, false)]
    [InlineData(1, 3, null, 0, "Running", true, "Loaded", "1/3 replicas loaded", 30, false)]
    [InlineData(0, 1, null, 0, "Pending", false, "NoCandidates", "waiting for a ready pod", 30, false)]
    [InlineData(0, 1, "full", 1, "Scheduled", false, "Retrying", "attempt 1: full", 5, false)]
    [InlineData(0, 1, "full", 3, "Scheduled", false, "Retrying", "attempt 3: full", 20, false)]
    [InlineData(1, 2, "full", 2, "Running", true, "Retrying", "attempt 2: full", 10, false)]
    [InlineData(1, 2, "full", 5, "Running", true, "Retrying", "attempt 5: full", 60, false)] // something serves: never gives up
    [InlineData(0, 1, "full", 5, "Failed", false, "LoadFailed", "gave up after 5 attempts: full", 30, true)]
    [InlineData(0, 1, "full", 7, "Failed", false, "LoadFailed", "gave up after 7 attempts: full", 30, true)]
    public void Decide_Table(int loaded, int replicas, string? failure, int attempt,
        string phase, bool ready, string reason, string message, int requeueSeconds, bool gaveUp)
    {
        var verdict = ReadyVerdict.Decide(loaded, replicas, failure, attempt, Options);

        Assert.Equal(phase, verdict.Phase);
        Assert.Equal(new AdapterCondition("Ready", ready, reason, message), verdict.Ready);
        Assert.Equal(TimeSpan.FromSeconds(requeueSeconds), verdict.RequeueAfter);
        Assert.Equal(gaveUp, verdict.GaveUp);
    }

    [Fact]
    public void Decide_FewerAttemptsAllowed_GivesUpSooner()
    {
        var verdict = ReadyVerdict.Decide(0, 1, "full", 2, Options with { MaxLoadAttempts = 2 });

        Assert.True(verdict.GaveUp);
        Assert.Equal(ModelAdapterPhase.Failed, verdict.Phase);
    }

    [Theory]
    // phase, observed generation, Ready reason; the spec is at generation 2
    [InlineData("Failed", 2L, "LoadFailed", true)]
    [InlineData("Failed", 1L, "LoadFailed", false)] // the spec changed since: try again
    [InlineData("Failed", 2L, "Retrying", false)]
    [InlineData("Failed", 2L, null, false)] // failed for an invalid spec, now valid
    [InlineData("Running", 2L, "LoadFailed", false)]
    public void GaveUpOn_OnlyALoadFailureOfThisGeneration(string phase, long observed, string? readyReason, bool expected)
    {
        var status = new ModelAdapterStatus
        {
            Phase = phase,
            ObservedGeneration = observed,
            Conditions = readyReason is null ? null : [new V1Condition { Type = "Ready", Status = "False", Reason = readyReason }],
        };

        Assert.Equal(expected, ReadyVerdict.GaveUpOn(status, 2));
    }
}
