namespace AIBrix.Gateway.Core.Endpoints;

/// <summary>The narrow view routing needs of the endpoint registry: the current snapshot.</summary>
public interface IEndpointSource
{
    /// <summary>The current snapshot; cheap to read on every request.</summary>
    EndpointSnapshot Current { get; }
}
