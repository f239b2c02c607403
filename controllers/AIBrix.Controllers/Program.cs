using AIBrix.Cli;
using AIBrix.Controllers.Hosting;
using AIBrix.Controllers.GpuOptimizer;
using AIBrix.Kubernetes;
using AIBrix.Redis;

return await CliRunner.InvokeAsync(ControllerCommandLine.CreateCommand(RunAsync), args, ControllerCommandLine.Tool);

static async Task<int> RunAsync(ControllerCommandLine cli, CancellationToken cancellationToken)
{
    k8s.IKubernetes client;
    try
    {
        client = KubernetesClientFactory.Create(cli.Kubeconfig);
    }
    catch (Exception e) when (e is InvalidOperationException or k8s.Exceptions.KubeConfigException or IOException)
    {
        await Console.Error.WriteLineAsync($"{ControllerCommandLine.Tool}: {e.Message}");
        return 2;
    }

    StackExchange.Redis.ConnectionMultiplexer? redis = null;
    if (cli.Controllers.Contains(ControllerNames.GpuOptimizer) && cli.GpuOptimizerRedis is { } address)
    {
        try
        {
            redis = GpuOptimizerServiceCollectionExtensions.Connect(address);
        }
        catch (RedisSetupException e)
        {
            await Console.Error.WriteLineAsync($"{ControllerCommandLine.Tool}: --gpu-optimizer-redis: {e.Message}");
            return 2;
        }
    }

    await using var app = ControllerManager.Build(cli, client, redis);
    await app.RunAsync(cancellationToken);
    return 0;
}
