using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace AIBrix.Gateway.Http;

/// <summary>Guards the admin routes with <see cref="AdminOptions"/>; the token is compared in constant time.</summary>
internal sealed class AdminAccessFilter(AdminOptions options) : IEndpointFilter
{
    private readonly byte[]? _token = options.Token is { Length: > 0 } t ? Encoding.UTF8.GetBytes(t) : null;

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        if (_token is not null)
        {
            string? presented = Core.Limits.ApiKeys.FromAuthorization(http.Request.Headers.Authorization.ToString());
            byte[] bytes = Encoding.UTF8.GetBytes(presented ?? "");
            // FixedTimeEquals needs equal lengths; hashing both first keeps the length out of the timing too.
            return CryptographicOperations.FixedTimeEquals(SHA256.HashData(bytes), SHA256.HashData(_token))
                ? next(context)
                : new(AdminJson.Error(401, "invalid or missing admin token (Authorization: Bearer <token>)", "invalid_admin_token"));
        }

        if (options.InsecureLoopback && http.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip))
        {
            return next(context);
        }

        return new(AdminJson.Error(401, options.InsecureLoopback
            ? "the admin API only answers loopback clients (--admin-insecure-loopback)"
            : "the admin API is disabled: start the gateway with --admin-token or AIBRIX_ADMIN_TOKEN", "invalid_admin_token"));
    }
}
