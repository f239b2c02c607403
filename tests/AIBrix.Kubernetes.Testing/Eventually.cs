namespace AIBrix.Kubernetes.Testing;

/// <summary>
/// Waits for a condition that asynchronous controllers (or discovery) make true. The deadline only bounds a hang; tests
/// assert the state, never the time. A condition that never holds throws <see cref="TimeoutException"/>, which any test
/// framework reports as a failure.
/// </summary>
public static class Eventually
{
    /// <summary>Returns once <paramref name="condition"/> holds; throws "never happened: <paramref name="what"/>" after <paramref name="seconds"/>.</summary>
    public static async Task TrueAsync(Func<bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"never happened: {what}");
            }

            await Task.Delay(10);
        }
    }
}
