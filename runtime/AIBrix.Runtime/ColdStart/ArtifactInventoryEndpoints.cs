using AIBrix.Runtime.Artifacts.Inventory;
using AIBrix.Runtime.Http;

namespace AIBrix.Runtime.ColdStart;

/// <summary>
/// <c>GET /v1/artifacts</c>: what this node holds under the runtime's models folder and where (page cache or disk),
/// with the node's name, for the cold-start controller (docs/runtime-coldstart.md). The node name comes from
/// <c>NODE_NAME</c>, which the pod sets from the downward API (<c>spec.nodeName</c>).
/// </summary>
public static class ArtifactInventoryEndpoints
{
    /// <summary>The environment variable holding the node's name.</summary>
    public const string NodeNameVariable = "NODE_NAME";

    /// <summary>Maps the route over <paramref name="modelsDir"/>, measuring residency with this platform's probe.</summary>
    public static IEndpointRouteBuilder MapArtifactInventory(this IEndpointRouteBuilder app, string modelsDir) =>
        app.MapArtifactInventory(modelsDir, new ArtifactInventory(MincoreProbe.Create()), TimeProvider.System,
            () => Environment.GetEnvironmentVariable(NodeNameVariable) is { Length: > 0 } n ? n : null);

    /// <summary>Maps the route with a given inventory, clock and node name (tests).</summary>
    public static IEndpointRouteBuilder MapArtifactInventory(this IEndpointRouteBuilder app, string modelsDir, ArtifactInventory inventory, TimeProvider time, Func<string?> node)
    {
        app.MapGet("/v1/artifacts", (HttpContext context) =>
        {
            try
            {
                return context.Response.WriteAsJsonAsync(inventory.Scan(modelsDir, node(), time.GetUtcNow()));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return new ApiError(StatusCodes.Status503ServiceUnavailable, $"the models folder '{modelsDir}' could not be read: {e.Message}", "artifacts_unreadable").WriteAsync(context);
            }
        });
        return app;
    }
}
