namespace AIBrix.GpuOptimizer;

/// <summary>
/// One value per bucket, rows = output lengths and columns = input lengths, as AIBrix's <c>tputs[out][in]</c>.
/// Immutable.
/// </summary>
public sealed class BucketMatrix
{
    private readonly double[] _values;

    private BucketMatrix(int rows, int columns, double[] values)
    {
        Rows = rows;
        Columns = columns;
        _values = values;
    }

    /// <summary>Rows (output buckets).</summary>
    public int Rows { get; }

    /// <summary>Columns (input buckets).</summary>
    public int Columns { get; }

    /// <summary>The value of bucket (row, column).</summary>
    public double this[int row, int column] => _values[row * Columns + column];

    /// <summary>Sum of every value.</summary>
    public double Sum() => _values.Sum();

    /// <summary>A matrix from rows; every row must have the same length (<see cref="TryFromRows"/> reports ragged rows instead).</summary>
    /// <exception cref="ArgumentException">The rows are ragged.</exception>
    public static BucketMatrix FromRows(IReadOnlyList<IReadOnlyList<double>> rows) =>
        TryFromRows(rows, out var matrix, out string? error) ? matrix : throw new ArgumentException(error, nameof(rows));

    /// <summary>A matrix from rows, or why not.</summary>
    public static bool TryFromRows(IReadOnlyList<IReadOnlyList<double>> rows, out BucketMatrix matrix, out string? error)
    {
        int columns = rows.Count == 0 ? 0 : rows[0].Count;
        var values = new double[rows.Count * columns];
        for (int r = 0; r < rows.Count; r++)
        {
            if (rows[r].Count != columns)
            {
                matrix = Filled(0, 0, 0);
                error = $"row {r} has {rows[r].Count} values, row 0 has {columns}";
                return false;
            }

            for (int c = 0; c < columns; c++)
            {
                values[r * columns + c] = rows[r][c];
            }
        }

        matrix = new BucketMatrix(rows.Count, columns, values);
        error = null;
        return true;
    }

    /// <summary>A matrix with every value set to <paramref name="value"/>.</summary>
    public static BucketMatrix Filled(int rows, int columns, double value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        var values = new double[rows * columns];
        Array.Fill(values, value);
        return new BucketMatrix(rows, columns, values);
    }

    /// <summary>A copy with bucket (row, column) set to <paramref name="value"/>.</summary>
    public BucketMatrix With(int row, int column, double value)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Rows, nameof(row));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)column, (uint)Columns, nameof(column));
        double[] values = (double[])_values.Clone();
        values[row * Columns + column] = value;
        return new BucketMatrix(Rows, Columns, values);
    }

    /// <summary>A matrix of the given shape whose values come from <paramref name="value"/>(row, column).</summary>
    public static BucketMatrix Create(int rows, int columns, Func<int, int, double> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var values = new double[rows * columns];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                values[r * columns + c] = value(r, c);
            }
        }

        return new BucketMatrix(rows, columns, values);
    }

    /// <summary>The rows as arrays (the JSON shape).</summary>
    public double[][] ToRows()
    {
        var rows = new double[Rows][];
        for (int r = 0; r < Rows; r++)
        {
            rows[r] = _values.AsSpan(r * Columns, Columns).ToArray();
        }

        return rows;
    }

    /// <summary>Whether the shape matches <paramref name="grid"/>.</summary>
    public bool Fits(BucketGrid grid) => Rows == grid.Rows && Columns == grid.Columns;
}
