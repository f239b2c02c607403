namespace AIBrix.GpuOptimizer;

/// <summary>
/// The request mix to serve: requests per second in each (output, input) bucket of a profile grid. The optimizer
/// covers exactly this load; a controller builds it from a window of recent requests (<see cref="FromRequests"/>).
/// </summary>
public sealed class LoadHistogram
{
    /// <summary>Creates a histogram; <paramref name="rates"/> must have the grid's shape.</summary>
    /// <exception cref="ArgumentException">The shape differs from the grid.</exception>
    public LoadHistogram(BucketGrid grid, BucketMatrix rates)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(rates);
        if (!rates.Fits(grid))
        {
            throw new ArgumentException($"rates are {rates.Rows} x {rates.Columns}, the grid {grid.Rows} x {grid.Columns}", nameof(rates));
        }

        Grid = grid;
        Rates = rates;
    }

    /// <summary>The buckets.</summary>
    public BucketGrid Grid { get; }

    /// <summary>Requests per second per bucket.</summary>
    public BucketMatrix Rates { get; }

    /// <summary>Total requests per second.</summary>
    public double TotalRate => Rates.Sum();

    /// <summary>No load at all.</summary>
    public static LoadHistogram Empty(BucketGrid grid) => new(grid, BucketMatrix.Filled(grid.Rows, grid.Columns, 0));

    /// <summary>A copy with <paramref name="rate"/> requests per second in the bucket of these lengths.</summary>
    public LoadHistogram WithRate(int inputTokens, int outputTokens, double rate)
    {
        var (row, column) = Grid.Locate(inputTokens, outputTokens);
        return new LoadHistogram(Grid, Rates.With(row, column, rate));
    }

    /// <summary>The rate of each bucket from the requests seen over <paramref name="window"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The window is not positive.</exception>
    public static LoadHistogram FromRequests(BucketGrid grid, IEnumerable<(int InputTokens, int OutputTokens)> requests, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        var counts = new double[grid.Rows, grid.Columns];
        foreach (var (input, output) in requests)
        {
            var (row, column) = grid.Locate(input, output);
            counts[row, column]++;
        }

        double seconds = window.TotalSeconds;
        return new LoadHistogram(grid, BucketMatrix.Create(grid.Rows, grid.Columns, (r, c) => counts[r, c] / seconds));
    }

    /// <summary>
    /// The mean load over <paramref name="window"/> of request counts by length (e.g. the buckets of the gateway's
    /// request traces): each count goes to the grid bucket nearest in log2 space.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The window is not positive.</exception>
    public static LoadHistogram FromCounts(BucketGrid grid, IEnumerable<(double InputTokens, double OutputTokens, int Count)> counts, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        var sums = new double[grid.Rows, grid.Columns];
        foreach (var (input, output, count) in counts)
        {
            var (row, column) = grid.Locate(input, output);
            sums[row, column] += count;
        }

        double seconds = window.TotalSeconds;
        return new LoadHistogram(grid, BucketMatrix.Create(grid.Rows, grid.Columns, (r, c) => sums[r, c] / seconds));
    }

    /// <summary>Lists what is wrong with the rates, empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>(Grid.Validate());
        for (int r = 0; r < Rates.Rows; r++)
        {
            for (int c = 0; c < Rates.Columns; c++)
            {
                double rate = Rates[r, c];
                if (!double.IsFinite(rate) || rate < 0)
                {
                    errors.Add(FormattableString.Invariant($"load ({Grid.Describe(r, c)}) = {rate} req/s: rates must be finite and >= 0"));
                }
            }
        }

        return errors;
    }
}
