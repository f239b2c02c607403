namespace AIBrix.Gateway.Core.Endpoints;

/// <summary>
/// One in-flight slot on an endpoint. Dispose gives it back; a second dispose does nothing, so a
/// stream that ends early and a normal completion can both release without double counting.
/// </summary>
public sealed class InFlightLease : IDisposable
{
    private readonly long _tokens;
    private Endpoint? _endpoint;

    internal InFlightLease(Endpoint endpoint, long tokens)
    {
        _endpoint = endpoint;
        _tokens = tokens;
    }

    /// <summary>The endpoint held, or null once released.</summary>
    public Endpoint? Endpoint => Volatile.Read(ref _endpoint);

    /// <summary>Releases the slot once.</summary>
    public void Dispose() => Interlocked.Exchange(ref _endpoint, null)?.Release(_tokens);

    /// <summary>
    /// Releases the slot once and takes back the request from the endpoint's <see cref="Endpoints.Endpoint.Served"/>
    /// count: the gateway refused it after routing (a limit), so the endpoint never served it.
    /// </summary>
    public void Refuse() => Interlocked.Exchange(ref _endpoint, null)?.Release(_tokens, refused: true);
}
