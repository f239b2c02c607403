namespace AIBrix.Autoscaling.Spec;

/// <summary>
/// The settings read from a spec and its annotations, with every problem found. <see cref="Settings"/> is null
/// when the spec itself cannot be scaled on (no metric, a bad strategy, bounds that contradict); a bad annotation
/// only leaves its setting at the spec's value or the default, so scaling goes on while the error is reported.
/// </summary>
/// <param name="Settings">The usable settings, or null.</param>
/// <param name="Errors">Every error, spec first, then annotations (for the ValidSpec condition).</param>
/// <param name="Warnings">Valid but ineffective settings (a key the strategy does not use, scale-to-zero with minReplicas above 0).</param>
public sealed record SettingsParseResult(AutoscalerSettings? Settings, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings)
{
    /// <summary>Whether nothing was wrong.</summary>
    public bool IsValid => Errors.Count == 0;
}
