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

            auth = new AuthSettings
            {
                Mode = mode,
                EnforceInExtProc = a.EnforceInExtProc ?? true,
                KeyCacheTtl = TimeSpan.FromSeconds(ConfigBounds.Int(a.KeyCacheSeconds, (int)AuthSettings.Default.KeyCacheTtl.TotalSeconds, source, "auth.keyCacheSeconds", 0, 3600, errors)),
                KeyStaleIfError = TimeSpan.FromSeconds(ConfigBounds.Int(a.KeyStaleIfErrorSeconds, (int)AuthSettings.Default.KeyStaleIfError.TotalSeconds, source, "auth.keyStaleIfErrorSeconds", 0, 86_400, errors)),
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

            int defaultMaxTokens = ConfigBounds.Int(l.DefaultMaxTokens, limits.DefaultMaxTokens, source, "limits.defaultMaxTokens", 0, 10_000_000, errors);
            int promptBytesPerToken = ConfigBounds.Int(l.PromptBytesPerToken, limits.PromptBytesPerToken, source, "limits.promptBytesPerToken", 1, 64, errors);
            int promptOverheadTokens = ConfigBounds.Int(l.PromptOverheadTokens, limits.PromptOverheadTokens, source, "limits.promptOverheadTokens", 0, 100_000, errors);
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
                DefaultMaxTokens = defaultMaxTokens,
                PromptBytesPerToken = promptBytesPerToken,
                PromptOverheadTokens = promptOverheadTokens,
                ModelRps = new Dictionary<string, long>(l.ModelRps ?? [], StringComparer.Ordinal),
            };
        }

        return (auth, limits);
    }
}
