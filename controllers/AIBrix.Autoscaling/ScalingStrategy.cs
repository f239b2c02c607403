namespace AIBrix.Autoscaling;

/// <summary>How a PodAutoscaler turns metric values into a replica count.</summary>
public enum ScalingStrategy
{
    /// <summary>Knative's Pod Autoscaler: ceil(total / target) over a stable window, with a panic window for bursts.</summary>
    Kpa,

    /// <summary>AIBrix's Pod Autoscaler: the per-pod average against the target, with up and down tolerances.</summary>
    Apa,

    /// <summary>Kubernetes' Horizontal Pod Autoscaler: its replica calculation, stabilisation windows and scaling policies.</summary>
    Hpa,
}

/// <summary>The wire names of <see cref="ScalingStrategy"/> (<c>spec.scalingStrategy</c>).</summary>
public static class ScalingStrategies
{
    /// <summary>Every name, as the CRD spells it.</summary>
    public static readonly IReadOnlyList<string> Names = ["HPA", "KPA", "APA"];

    /// <summary>The CRD name of <paramref name="strategy"/>.</summary>
    public static string Name(ScalingStrategy strategy) => strategy switch
    {
        ScalingStrategy.Kpa => "KPA",
        ScalingStrategy.Apa => "APA",
        _ => "HPA",
    };

    /// <summary>Reads a strategy name; case-insensitive so command lines may write <c>kpa</c>.</summary>
    public static bool TryParse(string? name, out ScalingStrategy strategy)
    {
        switch (name?.Trim().ToUpperInvariant())
        {
            case "KPA":
                strategy = ScalingStrategy.Kpa;
                return true;
            case "APA":
                strategy = ScalingStrategy.Apa;
                return true;
            case "HPA":
                strategy = ScalingStrategy.Hpa;
                return true;
            default:
                strategy = default;
                return false;
        }
    }
}
