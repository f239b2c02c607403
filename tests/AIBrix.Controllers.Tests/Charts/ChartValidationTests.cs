using AIBrix.Controllers.Tests.Charts.Rendering;

namespace AIBrix.Controllers.Tests.Charts;

/// <summary>Values that cannot work refuse to render, with a message that says what to change.</summary>
public sealed class ChartValidationTests
{
    [Theory]
    [InlineData("redis: {bundled: {enabled: false}}", "gateway.replicas is 2 but users, API keys and limit counters would live in each replica's memory")]
    [InlineData("gateway: {replicas: 3}\nredis: {bundled: {enabled: false}}", "set redis.address (host:port of your Redis) or redis.bundled.enabled=true, or gateway.replicas=1")]
    [InlineData("redis: {address: redis.cache:6379}", "redis.address and redis.bundled.enabled are both set")]
    [InlineData("redis: {address: redis.cache, bundled: {enabled: false}}", "redis.address \"redis.cache\" is not host:port")]
    [InlineData("gateway: {mode: sidecar}", "gateway.mode is \"sidecar\": use extproc (behind Envoy) or standalone")]
    [InlineData("gateway: {mode: standalone}\nenvoyGateway: {enabled: true}", "envoyGateway.enabled needs gateway.mode=extproc")]
    [InlineData("gateway: {config: {redis: 10.0.0.1:6379}}", "gateway.config.redis is set: set Redis with redis.address")]
    [InlineData("gateway: {config: {endpoints: [{name: a}]}}", "gateway.config.endpoints is set")]
    public void Render_ImpossibleValues_FailWithWhatToChange(string values, string message)
    {
        var e = Assert.Throws<TemplateException>(() => ChartFixture.Render(values));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("execution error at (aibrix/templates/", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gateway: {replicas: 1}\nredis: {bundled: {enabled: false}}")]
    [InlineData("gateway: {replicas: 2}\nredis: {address: 10.1.2.3:6379, bundled: {enabled: false}}")]
    [InlineData("gateway: {replicas: 2}")]
    [InlineData("gateway: {config: null}\nenvoyGateway: {enabled: true}")]
    public void Render_WorkableValues_Render(string values) => Assert.NotEmpty(ChartFixture.Render(values).Manifests);
}
