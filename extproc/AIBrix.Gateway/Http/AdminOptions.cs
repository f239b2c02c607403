namespace AIBrix.Gateway.Http;

/// <summary>
/// Who may call the user and key admin routes: a bearer token (<c>--admin-token</c> or
/// <c>AIBRIX_ADMIN_TOKEN</c>), or, for local development only, any loopback client
/// (<c>--admin-insecure-loopback</c>). With neither, the admin routes refuse everyone.
/// </summary>
/// <param name="Token">The admin token, or null.</param>
/// <param name="InsecureLoopback">Allow loopback clients without a token.</param>
internal sealed record AdminOptions(string? Token, bool InsecureLoopback)
{
    public const string TokenEnv = "AIBRIX_ADMIN_TOKEN";
}
