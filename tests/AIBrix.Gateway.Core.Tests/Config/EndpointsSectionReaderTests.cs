using AIBrix.EngineMetrics;
using AIBrix.Gateway.Core.Config;

namespace AIBrix.Gateway.Core.Tests.Config;

public class EndpointsSectionReaderTests
{
    private static readonly Func<string, bool> Known = _ => true;

    [Theory]
    // One endpoints list each; every error it must produce, separated by '|', and nothing more.
    [InlineData("[{name: a, address: \"10.0.0.1:8000\"}]", "e.yaml: endpoints[0].model: required")]
    [InlineData("[{address: \"10.0.0.1:8000\", model: m}]", "e.yaml: endpoints[0].name: required")]
    [InlineData("[{name: \"  \", address: \"10.0.0.1:8000\", model: m}]", "e.yaml: endpoints[0].name: required")]
    [InlineData("[{name: a, model: m}]", "e.yaml: endpoints[0].address: required, as \"ip:port\"")]
    [InlineData("[{name: a, address: \"pod-a.svc:8000\", model: m}]", "e.yaml: endpoints[0].address: 'pod-a.svc:8000' is not \"ip:port\" (an IP literal and a port 1-65535)")]
    [InlineData("[{name: a, address: \"10.0.0.1\", model: m}]", "e.yaml: endpoints[0].address: '10.0.0.1' is not \"ip:port\"")]
    [InlineData("[{name: a, address: \"10.0.0.1:0\", model: m}]", "e.yaml: endpoints[0].address: '10.0.0.1:0' is not \"ip:port\"")]
    [InlineData("[{name: a, address: \"10.0.0.1:70000\", model: m}]", "e.yaml: endpoints[0].address: '10.0.0.1:70000' is not \"ip:port\"")]
    [InlineData("[{name: a, address: \"::1\", model: m}]", "e.yaml: endpoints[0].address: '::1' is not \"ip:port\"")]
    [InlineData("[{name: a, address: \"10.0.0.1:8000\", model: m, engine: tgi}]", "e.yaml: endpoints[0].engine: 'tgi' is not one of vllm, sglang, llamacpp")]
    [InlineData("[{name: a, address: \"10.0.0.1:8000\", model: m, metricsPort: 0}]", "e.yaml: endpoints[0].metricsPort: 0 is not a port (1-65535)")]
    [InlineData("[{name: a, address: \"10.0.0.1:8000\", model: m, metricsPort: 65536}]", "e.yaml: endpoints[0].metricsPort: 65536 is not a port (1-65535)")]
    [InlineData("[{name: a, address: \"10.0.0.1:8000\", model: m, adapters: [sql, \" \"]}]", "e.yaml: endpoints[0].adapters: empty adapter name")]
    [InlineData("[{name: a, address: \"10.0.0.1:8000\", model: m}, {name: a, address: \"10.0.0.2:8000\", model: m}]", "e.yaml: endpoints[1].name: 'a' is used by another endpoint")]
    [InlineData("[{name: a, address: \"10.0.0.1:8000\", model: m}, {name: b, address: \"10.0.0.1:8000\", model: m}]", "e.yaml: endpoints[1].address: '10.0.0.1:8000' is used by another endpoint")]
    [InlineData("[{name: a, address: \"10.0.0.1:8000\", model: m}, ~]", "e.yaml: endpoints[1]: empty entry")]
    [InlineData("[]", "e.yaml: endpoints: at least one endpoint is required")]
    [InlineData("[{engine: tgi, metricsPort: -1}]",
        "endpoints[0].name: required|endpoints[0].address: required|endpoints[0].model: required|endpoints[0].engine: 'tgi'|endpoints[0].metricsPort: -1")]
    [InlineData("[{name: a, address: bad, model: m}, {name: a, address: \"10.0.0.2:8000\"}, ~]",
        "endpoints[0].address: 'bad'|endpoints[1].name: 'a' is used|endpoints[1].model: required|endpoints[2]: empty entry")]
    public void Parse_BadEndpoints_EveryErrorNamesItsEntryAndField(string endpoints, string expected)
    {
        var result = GatewayConfigLoader.Parse("endpoints: " + endpoints, "e.yaml", Known);

        Assert.Null(result.Config);
        var wanted = expected.Split('|');
        Assert.Equal(wanted.Length, result.Errors.Count);
        foreach (var (error, want) in result.Errors.Zip(wanted))
        {
            Assert.StartsWith("e.yaml: ", error, StringComparison.Ordinal);
            Assert.Contains(want, error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(null, EngineKind.Vllm)]
    [InlineData("vllm", EngineKind.Vllm)]
    [InlineData("SGLang", EngineKind.Sglang)]
    [InlineData("llamacpp", EngineKind.LlamaCpp)]
    [InlineData("llama.cpp", EngineKind.LlamaCpp)]
    [InlineData(" llama-cpp ", EngineKind.LlamaCpp)]
    public void Parse_EngineNames_ReadCaseInsensitively(string? engine, EngineKind expected)
    {
        string yaml = engine is null
            ? "endpoints: [{name: a, address: \"10.0.0.1:8000\", model: m}]"
            : $"endpoints: [{{name: a, address: \"10.0.0.1:8000\", model: m, engine: \"{engine}\"}}]";

        var result = GatewayConfigLoader.Parse(yaml, "e.yaml", Known);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(expected, result.Config!.Endpoints.Single().Engine);
    }

    [Fact]
    public void Parse_PaddedValues_Trimmed()
    {
        var result = GatewayConfigLoader.Parse("endpoints: [{name: \" a \", address: \"10.0.0.1:8000\", model: \" m \", adapters: [\" sql \"]}]", "e.yaml", Known);

        var endpoint = Assert.Single(result.Config!.Endpoints);
        Assert.Equal(("a", "m", "sql"), (endpoint.Name, endpoint.Model, endpoint.Adapters.Single()));
    }
}
