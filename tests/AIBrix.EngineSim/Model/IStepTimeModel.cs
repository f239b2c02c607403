namespace AIBrix.EngineSim;

/// <summary>
/// How long one engine step (one forward pass of the continuous batch) takes. Two models exist: the linear
/// <see cref="StepTimeProfile"/> (coefficients from a file; the default) and <see cref="RooflineStepTime"/> (derived
/// from a GPU's specification and a model's architecture, <c>--gpu</c>).
/// </summary>
public interface IStepTimeModel
{
    /// <summary>Name shown in logs and docs.</summary>
    string Name { get; }

    /// <summary>KV-cache capacity in 16-token blocks this model implies, or null to take the engine's default.</summary>
    int? NumGpuBlocks { get; }

    /// <summary>Duration of one step in seconds.</summary>
    double StepSeconds(in StepWork work);

    /// <summary>Lists what is wrong with the model, empty when valid.</summary>
    IReadOnlyList<string> Validate();
}
