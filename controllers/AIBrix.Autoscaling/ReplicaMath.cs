namespace AIBrix.Autoscaling;

/// <summary>Rounding of replica counts that floating-point noise cannot tip over by a whole pod.</summary>
internal static class ReplicaMath
{
    // 0.1 + 0.2 is 0.30000000000000004, and ceil(0.30000000000000004 / 0.1) is 4, not 3: a plain Math.Ceiling
    // would add a pod for a rounding error. Values within this relative distance of an integer count as it.
    private const double Epsilon = 1e-9;

    /// <summary>The largest count any recommendation may reach; far above any real fleet, far below overflow.</summary>
    public const int Ceiling = 1_000_000;

    /// <summary>ceil(<paramref name="value"/>), tolerant of rounding noise, clamped to [0, <see cref="Ceiling"/>].</summary>
    public static int Ceil(double value) => ToCount(Math.Ceiling(value - (Epsilon * Math.Max(1, Math.Abs(value)))));

    /// <summary>floor(<paramref name="value"/>), tolerant of rounding noise, clamped to [0, <see cref="Ceiling"/>].</summary>
    public static int Floor(double value) => ToCount(Math.Floor(value + (Epsilon * Math.Max(1, Math.Abs(value)))));

    private static int ToCount(double value) =>
        double.IsNaN(value) || value <= 0 ? 0 : value >= Ceiling ? Ceiling : (int)value;
}
