using AIBrix.Gateway.Core.Limits;

namespace AIBrix.Gateway.Http;

/// <summary>
/// Users and API keys on the side port: AIBrix's RPC-style routes (<c>POST /CreateUser</c>,
/// <c>/ReadUser</c>, <c>/UpdateUser</c>, <c>/DeleteUser</c> with <c>{name, rpm, tpm}</c>) and REST routes
/// under <c>/v1/users</c>. Every route goes through <see cref="AdminAccessFilter"/>.
/// </summary>
internal static class AdminEndpoints
{
    public static void MapAdmin(this WebApplication app)
    {
        var admin = app.MapGroup("").AddEndpointFilter(new AdminAccessFilter(app.Services.GetRequiredService<AdminOptions>()));

        admin.MapPost("/CreateUser", (HttpRequest r, RequestLimiter l) => Guard(async () =>
        {
            var (name, rpm, tpm, error) = await AdminJson.ReadUserAsync(r);
            if (Invalid(error, name) is { } bad)
            {
                return bad;
            }

            var user = new UserRecord(name!, rpm ?? 0, tpm ?? 0);
            return await l.Users.CreateUserAsync(user)
                ? AdminJson.User(user, 201)
                : AdminJson.Error(409, $"user '{name}' already exists", "user_exists");
        }));
        admin.MapPost("/ReadUser", (HttpRequest r, RequestLimiter l) => Guard(async () =>
        {
            var (name, _, _, error) = await AdminJson.ReadUserAsync(r);
            return Invalid(error, name) ?? await Found(l, name!);
        }));
        admin.MapPost("/UpdateUser", (HttpRequest r, RequestLimiter l) => Guard(async () =>
        {
            var (name, rpm, tpm, error) = await AdminJson.ReadUserAsync(r);
            if (Invalid(error, name) is { } bad)
            {
                return bad;
            }

            var user = new UserRecord(name!, rpm ?? 0, tpm ?? 0);
            return await l.Users.UpdateUserAsync(user) ? AdminJson.User(user) : NotFound(name!);
        }));
        admin.MapPost("/DeleteUser", (HttpRequest r, RequestLimiter l) => Guard(async () =>
        {
            var (name, _, _, error) = await AdminJson.ReadUserAsync(r);
            if (Invalid(error, name) is { } invalid)
            {
                return invalid;
            }

            bool deleted = await l.Users.DeleteUserAsync(name!);
            l.ForgetUser(name!); // this replica stops taking its keys at once; the others within auth.keyCacheSeconds
            return deleted ? Results.Ok() : NotFound(name!);
        }));

        admin.MapGet("/v1/users", (RequestLimiter l) => Guard(async () => AdminJson.Users(await l.Users.ListUsersAsync())));
        admin.MapGet("/v1/users/{name}", (string name, RequestLimiter l) => Guard(() => Found(l, name)));
        admin.MapPut("/v1/users/{name}", (string name, HttpRequest r, RequestLimiter l) => Guard(async () =>
        {
            var (bodyName, rpm, tpm, error) = await AdminJson.ReadUserAsync(r);
            if (error is not null || bodyName is not null && bodyName != name)
            {
                return AdminJson.Error(400, error ?? "the body's name differs from the path's", "invalid_body");
            }

            var user = new UserRecord(name, rpm ?? 0, tpm ?? 0);
            if (await l.Users.UpdateUserAsync(user))
            {
                return AdminJson.User(user);
            }

            return await l.Users.CreateUserAsync(user) ? AdminJson.User(user, 201) : AdminJson.User(user);
        }));
        admin.MapDelete("/v1/users/{name}", (string name, RequestLimiter l) => Guard(async () =>
        {
            bool deleted = await l.Users.DeleteUserAsync(name);
            l.ForgetUser(name); // this replica stops taking its keys at once; the others within auth.keyCacheSeconds
            return deleted ? Results.NoContent() : NotFound(name);
        }));

        admin.MapPost("/v1/users/{name}/keys", (string name, RequestLimiter l, TimeProvider time) => Guard(async () =>
        {
            if (await l.Users.GetUserAsync(name) is null)
            {
                return NotFound(name);
            }

            var (record, key) = ApiKeys.Create(name, time.GetUtcNow());
            await l.Users.AddKeyAsync(record);
            return AdminJson.Key(record, key, 201);
        }));
        admin.MapGet("/v1/users/{name}/keys", (string name, RequestLimiter l) => Guard(async () =>
            await l.Users.GetUserAsync(name) is null ? NotFound(name) : AdminJson.Keys(await l.Users.ListKeysAsync(name))));
        admin.MapDelete("/v1/users/{name}/keys/{id}", (string name, string id, RequestLimiter l) => Guard(async () =>
        {
            bool revoked = await l.Users.RevokeKeyAsync(name, id);
            l.ForgetKey(id); // this replica stops taking it at once; the others within auth.keyCacheSeconds
            return revoked ? Results.NoContent() : AdminJson.Error(404, $"user '{name}' has no key '{id}'", "key_not_found");
        }));
    }

    private static IResult? Invalid(string? error, string? name) =>
        error is not null ? AdminJson.Error(400, error, "invalid_body")
        : string.IsNullOrWhiteSpace(name) ? AdminJson.Error(400, "'name' is required", "invalid_body")
        : null;

    private static async Task<IResult> Found(RequestLimiter l, string name) =>
        await l.Users.GetUserAsync(name) is { } user ? AdminJson.User(user) : NotFound(name);

    private static IResult NotFound(string name) => AdminJson.Error(404, $"user '{name}' does not exist", "user_not_found");

    private static async Task<IResult> Guard(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (LimitStoreUnavailableException)
        {
            return AdminJson.Error(503, "the user store (Redis) is unreachable; retry later", "store_unavailable");
        }
    }
}
