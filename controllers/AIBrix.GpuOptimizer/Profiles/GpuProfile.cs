namespace AIBrix.GpuOptimizer;

/// <summary>
/// What one GPU type can serve, in AIBrix's profile format: for every (output, input) length bucket, the highest
/// request rate one replica sustains within the SLOs, plus the replica's cost. The optimizer turns a request mix into
/// replica counts with it. Read and written by <see cref="GpuProfileJson"/>; stored in Redis under
/// <see cref="GpuProfileKeys.For"/>.
/// </summary>
public sealed record GpuProfile
{
    /// <summary>
    /// AIBrix's <c>gpu</c>: the name of the deployment that serves the model on this GPU type (e.g. <c>llama-a10</c>);
    /// the optimizer's replica counts are per deployment.
    /// </summary>
    public required string Gpu { get; init; }

    /// <summary>Cost of one replica per unit of time (AIBrix's <c>cost</c>; e.g. dollars per hour). Must be positive.</summary>
    public required double Cost { get; init; }

    /// <summary>The length buckets (AIBrix's <c>indexes</c>).</summary>
    public required BucketGrid Grid { get; init; }

    /// <summary>
    /// Highest request rate (requests per second) one replica serves within the SLOs for requests of each bucket
    /// (AIBrix's <c>tputs[out][in]</c>); 0 = this GPU cannot serve the bucket within the SLOs.
    /// </summary>
    public required BucketMatrix Tputs { get; init; }

    /// <summary>When the profile was made, Unix seconds (AIBrix's <c>created</c>); 0 when unknown.</summary>
    public double Created { get; init; }

    /// <summary>Mean end-to-end latency at the chosen rate, seconds (AIBrix's <c>e2e</c>); informational.</summary>
    public BucketMatrix? E2e { get; init; }

    /// <summary>Mean time to first token at the chosen rate, seconds (AIBrix's <c>ttft</c>, present when a TTFT SLO was set).</summary>
    public BucketMatrix? Ttft { get; init; }

    /// <summary>The SLOs the rates were measured against.</summary>
    public ProfileSlos? Slos { get; init; }

    /// <summary>Lists every problem, empty when valid. <see cref="GpuProfileJson"/> never returns an invalid profile.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Gpu))
        {
            errors.Add("gpu (the deployment name) is missing or empty");
        }

        if (!double.IsFinite(Cost) || Cost <= 0)
        {
            errors.Add(FormattableString.Invariant($"cost = {Cost}: must be a positive number (the cost of one replica)"));
        }

        if (!double.IsFinite(Created) || Created < 0)
        {
            errors.Add("created must be a Unix time in seconds");
        }

        var gridErrors = Grid.Validate();
        errors.AddRange(gridErrors);
        if (gridErrors.Count == 0)
        {
            CheckMatrix(Tputs, "tputs", finite: true, errors);
            if (E2e is not null)
            {
                CheckMatrix(E2e, "e2e", finite: false, errors);
            }

            if (Ttft is not null)
            {
                CheckMatrix(Ttft, "ttft", finite: false, errors);
            }
        }

        if (Slos is not null)
        {
            errors.AddRange(Slos.Validate());
        }

        return errors;
    }

    private void CheckMatrix(BucketMatrix matrix, string name, bool finite, List<string> errors)
    {
        if (!matrix.Fits(Grid))
        {
            errors.Add($"{name} is {matrix.Rows} x {matrix.Columns} but indexes give {Grid.Rows} output x {Grid.Columns} input buckets ({name}[out][in])");
            return;
        }

        for (int r = 0; r < matrix.Rows; r++)
        {
            for (int c = 0; c < matrix.Columns; c++)
            {
                double v = matrix[r, c];
                if (double.IsNaN(v) || v < 0 || (finite && double.IsInfinity(v)))
                {
                    errors.Add(FormattableString.Invariant($"{name}[{r}][{c}] ({Grid.Describe(r, c)}) = {v}: must be a number >= 0"));
                    return;
                }
            }
        }
    }
}
