using System.Buffers;
using System.IO.Hashing;
using System.Text;
using AIBrix.Gateway.Core.Endpoints;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// <c>session-affinity</c>: the same pod for the same conversation. Order of rules:
/// 1. <c>x-session-id</c> (the base64 of the pod's <c>ip:port</c>, as AIBrix encodes it, returned on every
///    response): honoured while that pod is a ready candidate;
/// 2. else <c>x-aibrix-session-key</c> (or the <c>user</c>): rendezvous hashing, argmax
///    XxHash64(key, seed = XxHash64(pod name)), stable across gateway replicas and moving only the keys of a
///    pod that leaves;
/// 3. else least-request.
/// A session id whose pod is gone is reported as <c>x-aibrix-routing-fallback: session-pod-unavailable</c>.
/// </summary>
internal sealed class SessionAffinityPolicy(IRandomSource random) : IRoutingPolicy, IRoutingFeedback
{
    /// <summary>The header carrying the pod of the session, set on responses.</summary>
    public const string SessionIdHeader = "x-session-id";

    /// <summary>The header naming the session for rendezvous hashing.</summary>
    public const string SessionKeyHeader = "x-aibrix-session-key";

    /// <summary>Fallback reason: the session's pod is not ready any more.</summary>
    public const string PodUnavailable = "session-pod-unavailable";

    public string Name => RoutingPolicies.SessionAffinity;

    public Endpoint Pick(RoutingRequest request, ReadOnlySpan<Endpoint> candidates)
    {
        if (request.Headers.TryGetValue(SessionIdHeader, out var sessionId) && sessionId.Length > 0)
        {
            string? address = Decode(sessionId);
            foreach (var endpoint in candidates)
            {
                if (string.Equals(endpoint.Address, address, StringComparison.Ordinal))
                {
                    return endpoint;
                }
            }

            request.Fallback = PodUnavailable;
        }

        string? key = request.Headers.TryGetValue(SessionKeyHeader, out var k) && k.Length > 0 ? k : request.User;
        if (string.IsNullOrEmpty(key))
        {
            return LeastRequestPolicy.PickLeast(candidates, random.Next(candidates.Length));
        }

        return candidates[Rendezvous(key, candidates)];
    }

    public void OnRouted(RoutingRequest request, Endpoint target) =>
        request.AddResponseHeader(SessionIdHeader, Encode(target.Address));

    /// <summary>The session id for a pod address.</summary>
    public static string Encode(string address) => Convert.ToBase64String(Encoding.UTF8.GetBytes(address));

    private static string? Decode(string sessionId)
    {
        Span<byte> buffer = stackalloc byte[96];
        return Convert.TryFromBase64String(sessionId, buffer, out int written) ? Encoding.UTF8.GetString(buffer[..written]) : null;
    }

    internal static int Rendezvous(string key, ReadOnlySpan<Endpoint> candidates)
    {
        byte[] rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(Math.Max(key.Length, 64)));
        int keyLength = Encoding.UTF8.GetBytes(key, rented);
        int best = 0;
        ulong bestWeight = 0;
        for (int i = 0; i < candidates.Length; i++)
        {
            string name = candidates[i].Name;
            int nameLength = name.Length <= 64 ? Encoding.UTF8.GetBytes(name, rented.AsSpan(keyLength)) : 0;
            long seed = unchecked((long)XxHash64.HashToUInt64(rented.AsSpan(keyLength, nameLength)));
            ulong weight = XxHash64.HashToUInt64(rented.AsSpan(0, keyLength), seed);
            if (i == 0 || weight > bestWeight)
            {
                best = i;
                bestWeight = weight;
            }
        }

        ArrayPool<byte>.Shared.Return(rented);
        return best;
    }
}
