using AIBrix.Autoscaling.Decisions;
using AIBrix.Autoscaling.Stabilisation;

namespace AIBrix.Autoscaling.Tests.Stabilisation;

/// <summary>Kubernetes' stabilisation: up takes the window's lowest recommendation, down its highest.</summary>
public sealed class CooldownStabiliserTests
{
    private static readonly DateTimeOffset T0 = Scenario.Epoch;

    [Fact]
    public void Stabilise_DownWindow_ScaleDownWaitsForTheWholeWindow()
    {
        var c = new CooldownStabiliser(TimeSpan.FromSeconds(1));
        c.Seed(T0, 10);
        int current = 10;
        var results = new Dictionary<int, (int Value, ScaleLimit Limit)>();
        for (int t = 0; t <= 400; t += 10)
        {
            int rec = t < 100 ? 10 : 4; // load fell at t=100
            current = c.Stabilise(T0.AddSeconds(t), rec, current, TimeSpan.Zero, TimeSpan.FromSeconds(300), out var limit);
            results[t] = (current, limit);
        }

        Assert.Equal((10, ScaleLimit.None), results[90]);
        Assert.Equal((10, ScaleLimit.ScaleDownCooldown), results[100]);
        Assert.Equal((10, ScaleLimit.ScaleDownCooldown), results[380]); // the last 10 (t=90) is after 380 − 300
        Assert.Equal((4, ScaleLimit.None), results[390]); // (90, 390] holds only 4s
    }

    [Fact]
    public void Stabilise_UpWindow_ScaleUpWaitsUntilTheWindowAgrees()
    {
        var c = new CooldownStabiliser(TimeSpan.FromSeconds(1));
        c.Seed(T0, 3);
        int current = 3;
        var results = new Dictionary<int, (int Value, ScaleLimit Limit)>();
        for (int t = 0; t <= 200; t += 10)
        {
            int rec = t < 100 ? 3 : 8; // load rose at t=100
            current = c.Stabilise(T0.AddSeconds(t), rec, current, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(300), out var limit);
            results[t] = (current, limit);
        }

        Assert.Equal((3, ScaleLimit.ScaleUpCooldown), results[140]); // (80, 140] still holds the 3 of t=90
        Assert.Equal((8, ScaleLimit.None), results[150]); // (90, 150] holds only 8s
    }

    [Fact]
    public void Stabilise_ZeroWindows_PassesTheRecommendationThrough()
    {
        var c = new CooldownStabiliser(TimeSpan.FromSeconds(1));
        c.Seed(T0, 5);

        Assert.Equal(9, c.Stabilise(T0.AddSeconds(1), 9, 5, TimeSpan.Zero, TimeSpan.Zero, out var up));
        Assert.Equal(2, c.Stabilise(T0.AddSeconds(2), 2, 9, TimeSpan.Zero, TimeSpan.Zero, out var down));
        Assert.Equal((ScaleLimit.None, ScaleLimit.None), (up, down));
    }

    [Fact]
    public void Stabilise_RandomRecommendations_SameAsKeepingEveryRecommendation()
    {
        var random = new Random(7);
        var c = new CooldownStabiliser(TimeSpan.FromSeconds(1));
        var all = new List<(double At, int Value)> { (0, 5) }; // Kubernetes' way: every recommendation, scanned each time
        c.Seed(T0, 5);
        int current = 5, largest = 0;
        double t = 0;
        for (int i = 0; i < 2000; i++)
        {
            t += random.Next(1, 20);
            int rec = random.Next(0, 21);
            int up = all.Where(e => e.At > t - 60).Select(e => e.Value).Append(rec).Min();
            int down = all.Where(e => e.At > t - 300).Select(e => e.Value).Append(rec).Max();
            int expected = Math.Min(Math.Max(current, up), down);

            current = c.Stabilise(T0.AddSeconds(t), rec, current, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(300), out _);

            Assert.Equal(expected, current);
            all.Add((t, rec));
            largest = Math.Max(largest, c.Count);
        }

        Assert.InRange(largest, 1, 2 * 21); // at most one entry per distinct count in each list
    }

    [Fact]
    public void Stabilise_ManyDecisionsPerSecond_HistoryStaysSmall()
    {
        var c = new CooldownStabiliser(TimeSpan.FromSeconds(1));
        for (int i = 0; i < 20_000; i++)
        {
            c.Stabilise(T0.AddMilliseconds(i * 100), 1000 - (i / 10), 3, TimeSpan.Zero, TimeSpan.FromSeconds(300), out _);
        }

        // A count falling by one each second for 2,000 s: the down window keeps one entry per second of its 300 s.
        Assert.InRange(c.Count, 300, 301);
    }
}
