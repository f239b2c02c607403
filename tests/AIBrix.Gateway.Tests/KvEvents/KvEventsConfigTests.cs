using AIBrix.Gateway.Core.Config;
using AIBrix.Gateway.Core.Routing.KvEvents;
using AIBrix.Gateway.Hosting;

namespace AIBrix.Gateway.Tests.KvEvents;

/// <summary><c>routing.kvEvents</c>: values read, every misconfiguration named at start, per-endpoint labels applied.</summary>
public sealed class KvEventsConfigTests
{
    private const string Endpoint = "endpoints:\n  - {name: p, address: \"10.0.0.7:8000\", model: m}\n";

    [Fact]
    public void Parse_FullSection_EveryValueRead()
    {
        var result = Parse("routing: {kvEvents: {hasher: vllm-sha256-cbor, pythonHashSeed: \"0\", enabled: true, port: 6000, replayPort: 6001, topic: kv, blockSize: 32, tokenizer: cl100k_base}}");

        var o = Assert.IsType<GatewayConfig>(result.Config).Routing.KvEventSources;
        Assert.Equal((EngineHasherKind.VllmSha256Cbor, "0", true, 6000, (int?)6001, "kv", 32, "cl100k_base"),
            (o.Hasher, o.PythonHashSeed, o.Enabled, o.Port, o.ReplayPort, o.Topic, o.BlockSize, o.Tokenizer));
    }

    [Theory]
    [InlineData("{hasher: md5}", "routing.kvEvents.hasher: 'md5' is not one of sim, vllm-sha256-cbor, none")]
    [InlineData("{enabled: true}", "routing.kvEvents.enabled needs routing.kvEvents.hasher")]
    [InlineData("{hasher: vllm-sha256-cbor}", "needs routing.kvEvents.pythonHashSeed")]
    [InlineData("{hasher: sim, port: 70000}", "routing.kvEvents.port must be 1-65535")]
    [InlineData("{hasher: sim, blockSize: 0}", "routing.kvEvents.blockSize must be 1-4096")]
    [InlineData("{hasher: vllm-sha256-cbor, pythonHashSeed: \"0\", tokenizer: cl100k_base, chatTemplate: jinja}", "routing.kvEvents.chatTemplate: 'jinja' is not one of llama3, chatml")]
    [InlineData("{hasher: sim, chatTemplate: llama3}", "routing.kvEvents.chatTemplate needs hasher vllm-sha256-cbor and a tokenizer")]
    public void Parse_Misconfigured_ErrorNamesTheSetting(string section, string expected)
    {
        var result = Parse($"routing: {{kvEvents: {section}}}");

        Assert.Null(result.Config);
        Assert.Contains(result.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Build_TokenizerFileMissing_InvalidConfigBeforeStart()
    {
        string path = Path.Combine(Path.GetTempPath(), $"aibrix-gw-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, Endpoint + "routing: {kvEvents: {hasher: vllm-sha256-cbor, pythonHashSeed: \"0\", tokenizer: /nonexistent/tokenizer.model}}\n");
        try
        {
            var cli = GatewayCommandLine.Parse(["standalone", "--config", path, "--port", "0", "--listen", "127.0.0.1"]);

            var error = Assert.Throws<InvalidConfigException>(() => GatewayHost.Build(cli));

            Assert.Contains(error.Errors, e => e.Contains("routing.kvEvents.tokenizer", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void For_LabelsOverrideTheSection_PortAloneEnables()
    {
        var options = new KvEventSourceOptions { Hasher = EngineHasherKind.Sim, ReplayPort = 5558 };
        var none = new Dictionary<string, string>();
        var labelled = new Dictionary<string, string> { ["kv-events.aibrix.ai/port"] = "7000", ["kv-events.aibrix.ai/topic"] = "t" };
        var disabled = new Dictionary<string, string> { ["kv-events.aibrix.ai/enabled"] = "false" };

        Assert.Null(options.For("10.0.0.7", none));
        Assert.Equal(new KvEventSource("tcp://10.0.0.7:7000", "tcp://10.0.0.7:5558", "t"), options.For("10.0.0.7", labelled));
        Assert.Equal(new KvEventSource("tcp://[fd00::7]:5557", "tcp://[fd00::7]:5558", ""), (options with { Enabled = true }).For("fd00::7", none));
        Assert.Null((options with { Enabled = true }).For("10.0.0.7", disabled));
    }

    private static ConfigLoadResult Parse(string routing) =>
        GatewayConfigLoader.Parse(Endpoint + routing + "\n", "test.yaml", _ => true);
}
