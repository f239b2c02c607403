// Skeleton: the runtime's command line, routes and engine proxy are built in issue #20.
var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
AIBrix.Runtime.ColdStart.ArtifactInventoryEndpoints.MapArtifactInventory(app, AIBrix.Runtime.ColdStart.ArtifactInventoryEndpoints.ModelsDirFromEnvironment());
await app.RunAsync().ConfigureAwait(false);
