using AIBrix.Gateway.Core.Config;

namespace AIBrix.Gateway.Core.Tests.Config;

/// <summary>
/// Every section of the gateway YAML with an unknown key, a value of the wrong type and one out of range: the file is
/// refused with each problem listed (file:line or the key's path), never an exception (docs/errors.md).
/// </summary>
public class GatewayConfigHostileInputTests
{
    private static readonly Func<string, bool> Known = name => name is "random" or "least-request" or "prefix-cache";

    private const string Endpoint = "endpoints:\n  - name: a\n    address: 10.0.0.1:8000\n    model: llama\n";

    [Theory]
    // unknown keys, one per section
    [InlineData(Endpoint + "routng:\n  defaultStrategy: random\n", "bad.yaml:5")]
    [InlineData(Endpoint + "routing:\n  defaultStrategy: random\n  prefixCache:\n    blockSize: 16\n    bogus: 1\n", "bad.yaml:")]
    [InlineData(Endpoint + "metrics:\n  scrapeIntervalMillis: 500\n", "bad.yaml:")]
    [InlineData(Endpoint + "resilience:\n  retry: 2\n", "bad.yaml:")]
    [InlineData(Endpoint + "auth:\n  mod: apikey\n", "bad.yaml:")]
    [InlineData(Endpoint + "limits:\n  failMode: open\n", "bad.yaml:")]
    [InlineData("endpoints:\n  - name: a\n    address: 10.0.0.1:8000\n    model: llama\n    weight: 3\n", "bad.yaml:5")]
    // wrong types
    [InlineData(Endpoint + "resilience:\n  retries: two\n", "bad.yaml:")]
    [InlineData(Endpoint + "auth:\n  enforceInExtProc: maybe\n", "bad.yaml:")]
    [InlineData(Endpoint + "limits:\n  modelRps:\n    llama: fast\n", "bad.yaml:")]
    [InlineData(Endpoint + "routing: random\n", "bad.yaml:")]
    [InlineData("endpoints:\n  name: a\n", "bad.yaml:")]
    [InlineData("endpoints:\n  - name: a\n    address: 10.0.0.1:8000\n    model: llama\n    metricsPort: [1]\n", "bad.yaml:")]
    // out of range or unknown values
    [InlineData(Endpoint + "resilience:\n  retries: -1\n", "retries")]
    [InlineData(Endpoint + "auth:\n  mode: kerberos\n", "mode")]
    [InlineData(Endpoint + "auth:\n  keyCacheSeconds: -5\n", "keyCacheSeconds")]
    [InlineData(Endpoint + "limits:\n  failureMode: sometimes\n", "failureMode")]
    [InlineData(Endpoint + "limits:\n  defaultMaxTokens: -1\n", "defaultMaxTokens")]
    [InlineData(Endpoint + "limits:\n  modelRps:\n    llama: -3\n", "modelRps")]
    [InlineData(Endpoint + "routing:\n  defaultOutputTokens: -1\n", "defaultOutputTokens")]
    [InlineData(Endpoint + "metrics:\n  scrapeIntervalMs: 99999999999\n", "bad.yaml:")]
    // not YAML at all, or not a mapping
    [InlineData("endpoints: [\n", "bad.yaml")]
    [InlineData("- just\n- a list\n", "bad.yaml")]
    [InlineData("\u0000\u0001binary", "bad.yaml")]
    public void Parse_HostileValue_RefusedWithTheProblemListed(string yaml, string expected)
    {
        var result = GatewayConfigLoader.Parse(yaml, "bad.yaml", Known);

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Contains(expected, StringComparison.Ordinal) && e.StartsWith("bad.yaml", StringComparison.Ordinal));
    }
}
