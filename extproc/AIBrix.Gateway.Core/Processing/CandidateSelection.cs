using System.Buffers;
using System.Collections.Concurrent;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Errors;
using AIBrix.Labels;

namespace AIBrix.Gateway.Core.Processing;

/// <summary>
/// The ready candidates of a request, before the policy: endpoints serving the model, or the LoRA
/// adapter it names (from config <c>adapters</c>, else from the engines' <c>lora_requests_info</c>
/// running/waiting adapters), then narrowed by the proxy's subset hint (<see cref="EndpointSubset"/>) and the
/// <c>external-filter</c> label selector.
/// </summary>
internal static class CandidateSelection
{
    private const int MaxCachedSelectors = 256;
    private static readonly ConcurrentDictionary<string, LabelSelector> Selectors = new(StringComparer.Ordinal);

    /// <summary>
    /// The candidates for <paramref name="model"/>; an error when the filter is malformed or matches nothing, or when
    /// <paramref name="subset"/> (if any) leaves none. A returned <paramref name="rented"/> array must go back to
    /// <see cref="ArrayPool{T}.Shared"/>.
    /// </summary>
    public static GatewayError? Select(
        EndpointSnapshot snapshot,
        string model,
        IReadOnlyDictionary<string, string> headers,
        out ReadOnlySpan<Endpoint> candidates,
        out Endpoint[]? rented,
        IReadOnlySet<string>? subset = null)
    {
        rented = null;
        candidates = snapshot.ReadyFor(model);
        if (candidates.IsEmpty && !snapshot.IsKnownModel(model))
        {
            int found = AdaptersFromMetrics(snapshot, model, out rented);
            candidates = rented is null ? default : rented.AsSpan(0, found);
        }

        // An unknown model stays a 404 whatever the hint; a known one with nothing in the subset is a 503.
        if (subset is not null && (!candidates.IsEmpty || snapshot.IsKnownModel(model)))
        {
            var inSubset = EndpointSubset.Filter(candidates, subset, out int kept);
            Return(ref rented);
            rented = inSubset;
            candidates = inSubset is null ? default : inSubset.AsSpan(0, kept);
            if (candidates.IsEmpty)
            {
                return GatewayError.NoEndpointInSubset(model, subset.Count);
            }
        }

        if (candidates.IsEmpty || !headers.TryGetValue(GatewayHeaders.ExternalFilter, out var filter) || string.IsNullOrWhiteSpace(filter))
        {
            return null;
        }

        if (!TryGetSelector(filter, out var selector, out var error))
        {
            Return(ref rented);
            candidates = default;
            return GatewayError.InvalidExternalFilter(filter, error!);
        }

        var matching = ArrayPool<Endpoint>.Shared.Rent(candidates.Length);
        int count = 0;
        foreach (var endpoint in candidates)
        {
            if (selector!.Matches(endpoint.Labels))
            {
                matching[count++] = endpoint;
            }
        }

        Return(ref rented);
        rented = matching;
        candidates = matching.AsSpan(0, count);
        return count == 0 ? GatewayError.NoEndpointMatchesFilter(model, filter) : null;
    }

    /// <summary>Gives a rented candidate array back.</summary>
    public static void Return(ref Endpoint[]? rented)
    {
        if (rented is not null)
        {
            ArrayPool<Endpoint>.Shared.Return(rented, clearArray: true);
            rented = null;
        }
    }

    private static int AdaptersFromMetrics(EndpointSnapshot snapshot, string model, out Endpoint[]? rented)
    {
        rented = null;
        int count = 0;
        foreach (var endpoint in snapshot.All)
        {
            if (endpoint.IsReady && endpoint.Metrics is { } m && (Contains(m.RunningAdapters, model) || Contains(m.WaitingAdapters, model)))
            {
                rented ??= ArrayPool<Endpoint>.Shared.Rent(snapshot.All.Length);
                rented[count++] = endpoint;
            }
        }

        return count;
    }

    private static bool Contains(IReadOnlyList<string> adapters, string model)
    {
        for (int i = 0; i < adapters.Count; i++)
        {
            if (string.Equals(adapters[i], model, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryGetSelector(string filter, out LabelSelector? selector, out string? error)
    {
        error = null;
        if (Selectors.TryGetValue(filter, out selector))
        {
            return true;
        }

        if (!LabelSelector.TryParse(filter, out selector, out error))
        {
            return false;
        }

        if (Selectors.Count < MaxCachedSelectors)
        {
            Selectors.TryAdd(filter, selector!);
        }

        return true;
    }
}
