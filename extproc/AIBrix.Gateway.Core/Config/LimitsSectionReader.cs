using AIBrix.Gateway.Core.Limits;

namespace AIBrix.Gateway.Core.Config;

/// <summary>Validates the <c>auth:</c> and <c>limits:</c> sections, adding every problem to the list.</summary>
internal static class LimitsSectionReader
{
    public static (AuthSettings Auth, LimitSettings Limits) Read(GatewayConfigFile file, string source, List<string> errors)
    {
        var auth = AuthSettings.Default;
        if (file.Auth is { } a)
        {
            AuthMode mode = AuthMode.None;
            switch (a.Mode?.Trim().ToLowerInvariant())
            {
                case null or "" or "none":
                    break;
                case "apikey" or "api-key":
                    mode = AuthMode.ApiKey;
                    break;
                default:
                    errors.Add($"{source}: auth.mode: '{a.Mode}' is not one of none, apikey");
                    break;
            }

            if (a.KeyCacheSeconds is < 0 or > 3600)
            {
                errors.Add($"{source}: auth.keyCacheSeconds: {a.KeyCacheSeconds} is outside 0-3600");
            }

            if (a.KeyStaleIfErrorSeconds is < 0 or > 86_400)
            {
                errors.Add($"{source}: auth.keyStaleIfErrorSeconds: {a.KeyStaleIfErrorSeconds} is outside 0-86400");
            }

            auth = new AuthSettings
            {
                Mode = mode,
                EnforceInExtProc = a.EnforceInExtProc ?? true,
                KeyCacheTtl = a.KeyCacheSeconds is { } ttl ? TimeSpan.FromSeconds(ttl) : AuthSettings.Default.KeyCacheTtl,
                KeyStaleIfError = a.KeyStaleIfErrorSeconds is { } stale ? TimeSpan.FromSeconds(stale) : AuthSettings.Default.KeyStaleIfError,
            };
        }

        var limits = LimitSettings.Default;
        if (file.Limits is { } l)
        {
            var failure = LimitFailureMode.Open;
            switch (l.FailureMode?.Trim().ToLowerInvariant())
            {
                case null or "" or "open":
                    break;
                case "closed":
                    failure = LimitFailureMode.Closed;
                    break;
                default:
                    errors.Add($"{source}: limits.failureMode: '{l.FailureMode}' is not one of open, closed");
                    break;
            }

            if (l.DefaultMaxTokens is < 0 or > 10_000_000)
            {
                errors.Add($"{source}: limits.defaultMaxTokens: {l.DefaultMaxTokens} is outside 0-10000000");
            }

            if (l.PromptBytesPerToken is < 1 or > 64)
            {
                errors.Add($"{source}: limits.promptBytesPerToken: {l.PromptBytesPerToken} is outside 1-64");
            }

            if (l.PromptOverheadTokens is < 0 or > 100_000)
            {
                errors.Add($"{source}: limits.promptOverheadTokens: {l.PromptOverheadTokens} is outside 0-100000");
            }

            foreach (var (model, rps) in l.ModelRps ?? [])
            {
                if (rps < 1)
                {
                    errors.Add($"{source}: limits.modelRps.{model}: {rps} must be at least 1");
                }
            }

            limits = new LimitSettings
            {
                FailureMode = failure,
                DefaultMaxTokens = l.DefaultMaxTokens ?? limits.DefaultMaxTokens,
                PromptBytesPerToken = l.PromptBytesPerToken ?? limits.PromptBytesPerToken,
                PromptOverheadTokens = l.PromptOverheadTokens ?? limits.PromptOverheadTokens,
                ModelRps = new Dictionary<string, long>(l.ModelRps ?? [], StringComparer.Ordinal),
            };
        }

        return (auth, limits);
    }
}
