namespace AIBrix.Kubernetes.Runtime;

/// <summary>Exponential backoff: <c>min(cap, base * 2^(attempt-1))</c>, optionally with up to +/-Jitter of it.</summary>
/// <param name="Base">Delay before the first retry.</param>
/// <param name="Cap">Largest delay.</param>
/// <param name="Jitter">Fraction in [0,1) of random spread so many clients don't retry in lock step.</param>
public sealed record Backoff(TimeSpan Base, TimeSpan Cap, double Jitter = 0)
{
    /// <summary>The delay before retry number <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan Delay(int attempt, Random? random = null)
    {
        double exponent = Math.Clamp(attempt - 1, 0, 30);
        double ms = Math.Min(Cap.TotalMilliseconds, Base.TotalMilliseconds * Math.Pow(2, exponent));
        if (Jitter > 0 && random is not null)
        {
            ms *= 1 + (Jitter * ((random.NextDouble() * 2) - 1));
        }

        return TimeSpan.FromMilliseconds(Math.Max(0, ms));
    }
}
