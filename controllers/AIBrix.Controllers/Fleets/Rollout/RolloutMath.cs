using System.Globalization;
using k8s.Models;

namespace AIBrix.Controllers.Fleets.Rollout;

/// <summary>One replica set as the rollout arithmetic sees it.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Spec">spec.replicas.</param>
/// <param name="Actual">status.replicas: clusters that exist.</param>
/// <param name="Available">status.availableReplicas.</param>
public readonly record struct SetCounts(string Name, int Spec, int Actual, int Available);

/// <summary>
/// A Deployment's rolling-update arithmetic, pure: the surge and unavailability bounds, how far the new replica set may
/// grow, and how far the old ones may shrink. Tested by tables.
/// </summary>
public static class RolloutMath
{
    /// <summary>The default of both bounds.</summary>
    public const string DefaultBound = "25%";

    /// <summary>
    /// maxSurge and maxUnavailable as counts of <paramref name="replicas"/>: percentages round surge up and unavailable
    /// down; when both come out 0, unavailable is 1 so the rollout can move. False with a reason on a malformed value.
    /// </summary>
    public static bool TryResolveBounds(IntOrString? surge, IntOrString? unavailable, int replicas, out int maxSurge, out int maxUnavailable, out string? error)
    {
        maxUnavailable = 0;
        error = null;
        if (!TryScaled(surge, replicas, roundUp: true, out maxSurge, out error) || !TryScaled(unavailable, replicas, roundUp: false, out maxUnavailable, out error))
        {
            return false;
        }

        if (maxSurge == 0 && maxUnavailable == 0)
        {
            maxUnavailable = 1; // a Deployment's rule: never both 0, or nothing could ever be replaced
        }

        return true;
    }

    /// <summary>
    /// The new replica set's spec.replicas: up to <paramref name="replicas"/>, keeping the sum of every replica set's
    /// spec within replicas + maxSurge; down to <paramref name="replicas"/> when above.
    /// </summary>
    public static int NewSetTarget(int replicas, int maxSurge, int newSpec, int totalSpec)
    {
        if (newSpec >= replicas)
        {
            return replicas;
        }

        int room = replicas + maxSurge - totalSpec;
        return room <= 0 ? newSpec : newSpec + Math.Min(room, replicas - newSpec);
    }

    /// <summary>
    /// The old replica sets' new spec.replicas (same order, oldest first): first drop their unavailable clusters, then
    /// available ones while at least replicas - maxUnavailable stay available, counting the new set's unavailable
    /// clusters against the budget.
    /// </summary>
    public static int[] ScaleDownOld(int replicas, int maxUnavailable, SetCounts newSet, IReadOnlyList<SetCounts> oldSets)
    {
        var specs = oldSets.Select(s => s.Spec).ToArray();
        if (oldSets.Sum(s => s.Actual) == 0)
        {
            return specs;
        }

        int minAvailable = replicas - maxUnavailable;
        int allActual = oldSets.Sum(s => s.Actual) + newSet.Actual;
        int newUnavailable = newSet.Spec - newSet.Available;
        int budget = allActual - minAvailable - newUnavailable;
        if (budget <= 0)
        {
            return specs;
        }

        // Unavailable old clusters cost nothing to remove: they serve nobody.
        for (int i = 0; i < specs.Length && budget > 0; i++)
        {
            int unhealthy = specs[i] - oldSets[i].Available;
            if (unhealthy <= 0)
            {
                continue;
            }

            int cut = Math.Min(budget, unhealthy);
            specs[i] -= cut;
            budget -= cut;
        }

        int available = oldSets.Sum(s => s.Available) + newSet.Available;
        int spare = available - minAvailable;
        for (int i = 0; i < specs.Length && spare > 0; i++)
        {
            int cut = Math.Min(specs[i], spare);
            specs[i] -= cut;
            spare -= cut;
        }

        return specs;
    }

    private static bool TryScaled(IntOrString? value, int total, bool roundUp, out int result, out string? error)
    {
        error = null;
        string text = value?.Value ?? DefaultBound;
        if (text.EndsWith('%'))
        {
            if (!int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int percent))
            {
                result = 0;
                error = $"'{text}' is not a count or a percentage";
                return false;
            }

            double scaled = percent * (double)total / 100;
            result = (int)(roundUp ? Math.Ceiling(scaled) : Math.Floor(scaled));
            return true;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out result))
        {
            return true;
        }

        error = $"'{text}' is not a count or a percentage";
        return false;
    }
}
