namespace AIBrix.GpuOptimizer;

/// <summary>
/// The (output, input) token-length buckets a profile is measured on: AIBrix's <c>indexes</c>,
/// <c>[[output lengths...], [input lengths...]]</c>, each ascending. A request belongs to the bucket whose lengths are
/// nearest in log2 space (AIBrix's signature rule with tolerance 0.5); lengths beyond either end go to the end bucket.
/// </summary>
public sealed class BucketGrid : IEquatable<BucketGrid>
{
    private readonly double[] _outputs;
    private readonly double[] _inputs;
    private readonly double[] _logOutputs;
    private readonly double[] _logInputs;

    /// <summary>Creates a grid; use <see cref="Validate"/> (or <see cref="GpuProfileJson"/>, which does) on untrusted values.</summary>
    public BucketGrid(IEnumerable<double> outputTokens, IEnumerable<double> inputTokens)
    {
        _outputs = [.. outputTokens];
        _inputs = [.. inputTokens];
        _logOutputs = [.. _outputs.Select(Math.Log2)];
        _logInputs = [.. _inputs.Select(Math.Log2)];
    }

    /// <summary>Output lengths (rows of every matrix), ascending.</summary>
    public IReadOnlyList<double> OutputTokens => _outputs;

    /// <summary>Input lengths (columns of every matrix), ascending.</summary>
    public IReadOnlyList<double> InputTokens => _inputs;

    /// <summary>Number of output buckets (rows).</summary>
    public int Rows => _outputs.Length;

    /// <summary>Number of input buckets (columns).</summary>
    public int Columns => _inputs.Length;

    /// <summary>Buckets in all.</summary>
    public int Count => Rows * Columns;

    /// <summary>The bucket of a request with these lengths.</summary>
    public (int Row, int Column) Locate(double inputTokens, double outputTokens) =>
        (Nearest(_logOutputs, outputTokens), Nearest(_logInputs, inputTokens));

    /// <summary>"in 512, out 128": how errors and logs name a bucket.</summary>
    public string Describe(int row, int column) =>
        FormattableString.Invariant($"in {_inputs[column]:0.##}, out {_outputs[row]:0.##}");

    /// <summary>Lists what is wrong, empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        Check(_outputs, "indexes[0] (output lengths)", errors);
        Check(_inputs, "indexes[1] (input lengths)", errors);
        return errors;
    }

    /// <inheritdoc />
    public bool Equals(BucketGrid? other) =>
        other is not null && _outputs.AsSpan().SequenceEqual(other._outputs) && _inputs.AsSpan().SequenceEqual(other._inputs);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as BucketGrid);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Rows, Columns, Rows > 0 ? _outputs[^1] : 0, Columns > 0 ? _inputs[^1] : 0);

    /// <inheritdoc />
    public override string ToString() =>
        $"out [{string.Join(", ", _outputs)}] x in [{string.Join(", ", _inputs)}]";

    private static int Nearest(double[] logTicks, double value)
    {
        if (logTicks.Length <= 1 || !(value > 0))
        {
            return 0;
        }

        double log = Math.Log2(value);
        int upper = Array.BinarySearch(logTicks, log);
        if (upper >= 0)
        {
            return upper;
        }

        upper = ~upper;
        if (upper == 0)
        {
            return 0;
        }

        if (upper == logTicks.Length)
        {
            return logTicks.Length - 1;
        }

        // Halfway in log2 space: 181 tokens lies between the 128 and 256 buckets.
        int lower = upper - 1;
        return log < (logTicks[lower] + logTicks[upper]) / 2 ? lower : upper;
    }

    private static void Check(double[] ticks, string what, List<string> errors)
    {
        if (ticks.Length == 0)
        {
            errors.Add($"{what} is empty");
            return;
        }

        for (int k = 0; k < ticks.Length; k++)
        {
            if (!double.IsFinite(ticks[k]) || ticks[k] <= 0)
            {
                errors.Add(FormattableString.Invariant($"{what}[{k}] = {ticks[k]}: lengths must be positive numbers"));
                return;
            }

            if (k > 0 && ticks[k] <= ticks[k - 1])
            {
                errors.Add(FormattableString.Invariant($"{what} must be strictly ascending ({ticks[k - 1]} then {ticks[k]})"));
                return;
            }
        }
    }
}
