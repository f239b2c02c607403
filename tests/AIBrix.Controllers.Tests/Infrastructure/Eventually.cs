namespace AIBrix.Controllers.Tests.Infrastructure;

/// <summary>Waits for a condition that asynchronous controllers make true. The deadline only bounds a hang; tests assert the state, never the time.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"never happened: {what}");
            }

            await Task.Delay(10);
        }
    }
}
