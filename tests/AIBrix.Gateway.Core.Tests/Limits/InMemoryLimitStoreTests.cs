using AIBrix.Gateway.Core.Limits;
using Microsoft.Extensions.Time.Testing;

namespace AIBrix.Gateway.Core.Tests.Limits;

public class InMemoryLimitStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemoryUserStore _users = new();
    private readonly InMemoryLimitStore _store;

    public InMemoryLimitStoreTests() => _store = new InMemoryLimitStore(_users, _time);

    private async Task<AdmissionDecision> Admit(string? user, long tokens, string id = "", long rps = 0) =>
        await _store.AdmitAsync(new AdmissionRequest(id.Length > 0 ? id : Guid.NewGuid().ToString("N"), user, "m", rps, tokens));

    [Fact]
    public async Task AdmitAsync_RpmFull_RefusesUntilTheOldestLeavesTheWindow()
    {
        await _users.CreateUserAsync(new UserRecord("a", 2, 0));
        await Admit("a", 1);
        _time.Advance(TimeSpan.FromSeconds(30));
        await Admit("a", 1);

        var full = await Admit("a", 1);
        _time.Advance(TimeSpan.FromSeconds(30)); // the first leaves the sliding window, the second stays
        var again = await Admit("a", 1);
        var fullAgain = await Admit("a", 1);

        Assert.Equal(AdmissionVerdict.UserRequests, full.Verdict);
        Assert.Equal(TimeSpan.FromSeconds(30), full.RequestsReset);
        Assert.True(again.Admitted);
        Assert.Equal(AdmissionVerdict.UserRequests, fullAgain.Verdict);
    }

    [Fact]
    public async Task GetUsageAsync_CountsTheWindowAsTheLimitsDo_SettledAndExpired()
    {
        await _users.CreateUserAsync(new UserRecord("a", 0, 1000));
        await Admit("a", 400, id: "r1");
        _time.Advance(TimeSpan.FromSeconds(30));
        await Admit("a", 300, id: "r2");
        await _store.SettleAsync(new Settlement("r2", "a", 300, 100));
        Assert.Equal(AdmissionVerdict.UserTokens, (await Admit("a", 600)).Verdict);

        var now = await _store.GetUsageAsync("a");
        _time.Advance(TimeSpan.FromSeconds(31)); // r1 leaves the window
        var later = await _store.GetUsageAsync("a");

        Assert.Equal(new UserUsage(2, 500), now);
        Assert.Equal(new UserUsage(1, 100), later);
        Assert.Equal(default, await _store.GetUsageAsync("nobody"));
    }

    [Fact]
    public async Task AdmitAsync_SlidingNotFixedWindow_NoDoubleBurstAtTheBoundary()
    {
        // A fixed one-minute window admits 2x the limit around its boundary; a sliding one must not.
        await _users.CreateUserAsync(new UserRecord("a", 3, 0));
        _time.Advance(TimeSpan.FromSeconds(59));
        for (int i = 0; i < 3; i++)
        {
            Assert.True((await Admit("a", 1)).Admitted);
        }

        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(AdmissionVerdict.UserRequests, (await Admit("a", 1)).Verdict);
    }

    [Fact]
    public async Task SettleAsync_RefundAndOvercharge_MoveTheTokenBudget()
    {
        await _users.CreateUserAsync(new UserRecord("a", 0, 1000));
        await Admit("a", 800, "r1");

        await _store.SettleAsync(new Settlement("r1", "a", 800, 300));
        await _store.SettleAsync(new Settlement("r1", "a", 800, 300)); // idempotent
        var afterRefund = await Admit("a", 700, "r2");
        await _store.SettleAsync(new Settlement("r2", "a", 700, 750)); // used more than reserved

        Assert.True(afterRefund.Admitted);
        Assert.Equal(0, afterRefund.TokensRemaining);
        Assert.Equal(AdmissionVerdict.UserTokens, (await Admit("a", 1)).Verdict);
    }

    [Fact]
    public async Task SettleAsync_AfterTheReservationLeftTheWindow_ChargesOnlyTheExcessOnce()
    {
        await _users.CreateUserAsync(new UserRecord("a", 0, 1000));
        await Admit("a", 100, "long");
        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.True((await Admit("a", 1, "trim")).Admitted); // trims the old reservation

        await _store.SettleAsync(new Settlement("long", "a", 100, 400));
        await _store.SettleAsync(new Settlement("long", "a", 100, 400));

        Assert.Equal(1000 - 1 - 300, (await Admit("a", 0)).TokensRemaining);
    }

    [Fact]
    public async Task AdmitAsync_UnknownUser_AndAnonymousModelRps()
    {
        var unknown = await Admit("ghost", 1);
        var first = await Admit(null, 1, rps: 1);
        var second = await Admit(null, 1, rps: 1);
        _time.Advance(TimeSpan.FromSeconds(1.5));
        var third = await Admit(null, 1, rps: 1);

        Assert.Equal(AdmissionVerdict.UnknownUser, unknown.Verdict);
        Assert.True(first.Admitted);
        Assert.Equal(AdmissionVerdict.ModelRequests, second.Verdict);
        Assert.True(third.Admitted);
    }

    [Fact]
    public async Task AdmitAsync_ConcurrentCallers_NeverExceedTheLimit()
    {
        await _users.CreateUserAsync(new UserRecord("a", 100, 0));

        var results = await Task.WhenAll(Enumerable.Range(0, 400).Select(_ => Task.Run(() => Admit("a", 1))));

        Assert.Equal(100, results.Count(r => r.Admitted));
    }
}
