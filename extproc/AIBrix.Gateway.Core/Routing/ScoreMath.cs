namespace AIBrix.Gateway.Core.Routing;

/// <summary>Normalisation shared by the scorers.</summary>
internal static class ScoreMath
{
    /// <summary>Turns loads in [min,max] into scores in [0,1], least load scoring 1; all equal score 1.</summary>
    public static void InvertNormalise(Span<double> values, double min, double max)
    {
        double range = max - min;
        if (!(range > 0))
        {
            values.Fill(1);
            return;
        }

        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (max - values[i]) / range;
        }
    }

    /// <summary>The index of the highest score, ties broken by scan order from <paramref name="start"/>.</summary>
    public static int ArgMax(ReadOnlySpan<double> scores, int start)
    {
        int n = scores.Length;
        int best = start;
        double bestScore = double.NegativeInfinity;
        for (int k = 0; k < n; k++)
        {
            int i = start + k < n ? start + k : start + k - n;
            if (scores[i] > bestScore)
            {
                bestScore = scores[i];
                best = i;
            }
        }

        return best;
    }
}
