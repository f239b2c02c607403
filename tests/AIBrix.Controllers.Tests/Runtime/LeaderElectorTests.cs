using AIBrix.Controllers.Tests.Infrastructure;
using AIBrix.Kubernetes.Runtime;
using AIBrix.Kubernetes.Testing;
using Microsoft.Extensions.Time.Testing;

namespace AIBrix.Controllers.Tests.Runtime;

public sealed class LeaderElectorTests
{
    private static LeaderElectionOptions Options(string identity, TimeProvider time) => new()
    {
        Namespace = "aibrix-system", LeaseName = "aibrix-controllers", Identity = identity, Time = time,
        LeaseDuration = TimeSpan.FromSeconds(15), RetryPeriod = TimeSpan.FromMilliseconds(5), RenewDeadline = TimeSpan.FromSeconds(10),
    };

    [Fact]
    public async Task LeaderElector_TwoReplicas_OnlyOneLeadsUntilTheLeaseExpires()
    {
        await using var api = await FakeApiServer.StartAsync();
        using var client = api.CreateClient();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 1, 0, 0, TimeSpan.Zero));
        var a = new LeaderElector(client, Options("a", time));
        var b = new LeaderElector(client, Options("b", time));

        Assert.True(await a.TryAcquireOrRenewAsync(CancellationToken.None));
        Assert.False(await b.TryAcquireOrRenewAsync(CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(await a.TryAcquireOrRenewAsync(CancellationToken.None)); // renewal
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(await b.TryAcquireOrRenewAsync(CancellationToken.None)); // renewed 10 s ago: still valid

        time.Advance(TimeSpan.FromSeconds(16));
        Assert.True(await b.TryAcquireOrRenewAsync(CancellationToken.None));

        var lease = api.Get("apis/coordination.k8s.io/v1", "leases", "aibrix-system", "aibrix-controllers")!;
        Assert.Equal("b", lease["spec"]!["holderIdentity"]!.GetValue<string>());
        Assert.Equal(1, lease["spec"]!["leaseTransitions"]!.GetValue<int>());
    }

    [Fact]
    public async Task LeaderElector_Run_StartsWorkOnlyAfterAcquiringAndStopsItOnCancel()
    {
        await using var api = await FakeApiServer.StartAsync();
        using var client = api.CreateClient();
        var elector = new LeaderElector(client, Options("solo", TimeProvider.System));
        using var stop = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        bool cancelledInside = false;

        var run = elector.RunAsync(async token =>
        {
            started.SetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                cancelledInside = true;
            }
        }, stop.Token);

        await started.Task;
        Assert.True(elector.IsLeader);
        await stop.CancelAsync();
        await run;
        Assert.True(cancelledInside);
        Assert.False(elector.IsLeader);
    }

    [Fact]
    public async Task LeaderElector_Run_RenewalsFailPastTheDeadline_StopsTheWorkBeforeAnotherReplicaLeads()
    {
        await using var api = await FakeApiServer.StartAsync();
        using var client = api.CreateClient();
        LeaderElectionOptions Fast(string identity) => Options(identity, TimeProvider.System) with
        {
            LeaseDuration = TimeSpan.FromSeconds(2), RenewDeadline = TimeSpan.FromMilliseconds(600), RetryPeriod = TimeSpan.FromMilliseconds(50),
        };
        var a = new LeaderElector(client, Fast("a"));
        var started = new TaskCompletionSource();
        var stoppedAt = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = a.RunAsync(async token =>
        {
            started.SetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                stoppedAt.SetResult(DateTimeOffset.UtcNow);
            }
        }, CancellationToken.None);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(60));

        // The API server stops taking a's renewals (a partition, an overloaded server).
        api.FailNext("PUT", "leases", 500, times: int.MaxValue);
        await run.WaitAsync(TimeSpan.FromSeconds(60)); // RunAsync returns once the renew deadline has passed
        var aStopped = await stoppedAt.Task.WaitAsync(TimeSpan.FromSeconds(1));
        bool aLeaderAfterLoss = a.IsLeader;
        api.FailNext("PUT", "leases", 500, times: 0);

        var b = new LeaderElector(client, Fast("b"));
        DateTimeOffset? bLeads = null;
        for (var deadline = DateTime.UtcNow.AddSeconds(60); bLeads is null && DateTime.UtcNow < deadline; await Task.Delay(50))
        {
            if (await b.TryAcquireOrRenewAsync(CancellationToken.None))
            {
                bLeads = DateTimeOffset.UtcNow;
            }
        }

        Assert.False(aLeaderAfterLoss);
        Assert.NotNull(bLeads);
        Assert.True(aStopped < bLeads, $"a stopped at {aStopped:O}, b led at {bLeads:O}: never two leaders at once");
        var lease = api.Get("apis/coordination.k8s.io/v1", "leases", "aibrix-system", "aibrix-controllers")!;
        Assert.Equal("b", lease["spec"]!["holderIdentity"]!.GetValue<string>());
        Assert.Equal(1, lease["spec"]!["leaseTransitions"]!.GetValue<int>());
    }
}
