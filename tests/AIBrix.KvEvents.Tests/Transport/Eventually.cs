namespace AIBrix.KvEvents.Tests.Transport;

internal static class Eventually
{
    /// <summary>Waits for a condition that another thread makes true; a generous bound, not a timing assertion.</summary>
    public static bool Within(TimeSpan limit, Func<bool> condition)
    {
        var until = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < until)
        {
            if (condition())
            {
                return true;
            }

            Thread.Sleep(10);
        }

        return condition();
    }

    public static void True(Func<bool> condition, string what)
    {
        Assert.True(Within(TimeSpan.FromSeconds(20), condition), $"{what} did not happen within 20 s");
    }
}
