namespace AIBrix.Autoscaling.Decisions;

/// <summary>One limit that changed the count: from <paramref name="Before"/> to <paramref name="After"/>.</summary>
/// <param name="Limit">The limit.</param>
/// <param name="Before">The count it received.</param>
/// <param name="After">The count it passed on.</param>
/// <param name="Metric">The metric whose recommendation it limited; null for limits on the decision as a whole.</param>
public readonly record struct LimitStep(ScaleLimit Limit, int Before, int After, string? Metric = null)
{
    /// <inheritdoc/>
    public override string ToString() => $"{ScaleLimits.Name(Limit)} {Before}→{After}";
}
