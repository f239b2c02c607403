using AIBrix.Gateway.Core.Config;
using AIBrix.Gateway.Core.Limits;

namespace AIBrix.Gateway.Core.Tests.Limits;

public class LimitsConfigTests
{
    private const string Endpoints = "endpoints:\n  - {name: a, address: \"10.0.0.1:8000\", model: m}\n";

    [Fact]
    public void Parse_AuthAndLimits_ReadsEveryKey()
    {
        var result = GatewayConfigLoader.Parse(Endpoints + """
            auth: {mode: apikey, enforceInExtProc: false}
            limits: {failureMode: closed, defaultMaxTokens: 256, promptBytesPerToken: 3, promptOverheadTokens: 8, modelRps: {m: 50}}
            """, "test.yaml", _ => true);

        var config = Assert.IsType<GatewayConfig>(result.Config);
        Assert.Equal(AuthMode.ApiKey, config.Auth.Mode);
        Assert.False(config.Auth.EnforceInExtProc);
        Assert.Equal(LimitFailureMode.Closed, config.Limits.FailureMode);
        Assert.Equal(256, config.Limits.DefaultMaxTokens);
        Assert.Equal(3, config.Limits.PromptBytesPerToken);
        Assert.Equal(8, config.Limits.PromptOverheadTokens);
        Assert.Equal(50, config.Limits.ModelRps["m"]);
    }

    [Fact]
    public void Parse_NoSections_DefaultsToNoAuthAndFailOpen()
    {
        var config = GatewayConfigLoader.Parse(Endpoints, "test.yaml", _ => true).Config!;

        Assert.Equal(AuthMode.None, config.Auth.Mode);
        Assert.True(config.Auth.EnforceInExtProc);
        Assert.Equal(LimitFailureMode.Open, config.Limits.FailureMode);
    }

    [Fact]
    public void Parse_BadValues_ListsEveryError()
    {
        var result = GatewayConfigLoader.Parse(Endpoints + """
            auth: {mode: oauth}
            limits: {failureMode: maybe, promptBytesPerToken: 0, modelRps: {m: 0}}
            """, "test.yaml", _ => true);

        Assert.Null(result.Config);
        Assert.Equal(4, result.Errors.Count);
        Assert.Contains(result.Errors, e => e.Contains("auth.mode", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Contains("limits.failureMode", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Contains("limits.promptBytesPerToken", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Contains("limits.modelRps.m", StringComparison.Ordinal));
    }
}
