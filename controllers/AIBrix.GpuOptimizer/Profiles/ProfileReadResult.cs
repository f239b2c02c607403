namespace AIBrix.GpuOptimizer;

/// <summary>The profiles read from one source, or every reason they could not be.</summary>
/// <param name="Profiles">Valid profiles, in source order; empty when there were errors.</param>
/// <param name="Errors">Every problem found, each naming its place in the source.</param>
public sealed record ProfileReadResult(IReadOnlyList<GpuProfile> Profiles, IReadOnlyList<string> Errors)
{
    /// <summary>Whether the source was read without errors.</summary>
    public bool Succeeded => Errors.Count == 0;

    internal static ProfileReadResult Failed(string error) => new([], [error]);
}
