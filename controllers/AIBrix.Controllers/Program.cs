using AIBrix.Cli;
using AIBrix.Controllers.Hosting;
using AIBrix.Kubernetes;

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

    await using var app = ControllerManager.Build(cli, client);
    await app.RunAsync(cancellationToken);
    return 0;
}
