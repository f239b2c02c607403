using AIBrix.Kubernetes.Runtime;

namespace AIBrix.Controllers.Tests.Runtime;

public sealed class WorkQueueTests
{
    [Fact]
    public async Task WorkQueue_SameKeyAddedManyTimes_ProcessedOnce()
    {
        using var queue = new WorkQueue();
        queue.Add("ns/a");
        queue.Add("ns/a");
        queue.Add("ns/b");
        queue.Add("ns/a");

        Assert.Equal(2, queue.Count);
        Assert.Equal("ns/a", await queue.TakeAsync(CancellationToken.None));
        Assert.Equal("ns/b", await queue.TakeAsync(CancellationToken.None));
        Assert.Equal(0, queue.Count);
        Assert.Equal(4, queue.Adds);
    }

    [Fact]
    public async Task WorkQueue_KeyAddedWhileInFlight_NotHandedOutTwiceButQueuedAgainOnDone()
    {
        using var queue = new WorkQueue();
        queue.Add("k");
        string key = await queue.TakeAsync(CancellationToken.None);
        queue.Add("k");

        using var none = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await queue.TakeAsync(none.Token));

        queue.Done(key);
        Assert.Equal("k", await queue.TakeAsync(CancellationToken.None));
    }

    [Fact]
    public void WorkQueue_AddRateLimited_DelayDoublesUntilForget()
    {
        using var queue = new WorkQueue(new Backoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(30)));

        var delays = Enumerable.Range(0, 5).Select(_ => queue.AddRateLimited("k").TotalMilliseconds).ToList();
        Assert.Equal([5, 10, 20, 30, 30], delays);
        Assert.Equal(5, queue.Failures("k"));

        queue.Forget("k");
        Assert.Equal(0, queue.Failures("k"));
        Assert.Equal(5, queue.AddRateLimited("k").TotalMilliseconds);
    }

    [Fact]
    public async Task WorkQueue_AddAfter_DeliversTheKeyLater()
    {
        using var queue = new WorkQueue();
        queue.AddAfter("k", TimeSpan.FromMilliseconds(1));

        Assert.Equal("k", await queue.TakeAsync(CancellationToken.None));
    }
}
