using AIBrix.Controllers.Hosting;
using AIBrix.Kubernetes;

var cli = ControllerCommandLine.Parse(args);
if (cli.Help)
{
    Console.WriteLine(ControllerCommandLine.Usage);
    return 0;
}

if (cli.Errors.Count > 0)
{
    Console.Error.WriteLine("aibrix-controllers: " + string.Join(Environment.NewLine + "aibrix-controllers: ", cli.Errors));
    Console.Error.WriteLine(ControllerCommandLine.Usage);
    return 2;
}

k8s.IKubernetes client;
try
{
    client = KubernetesClientFactory.Create(cli.Kubeconfig);
}
catch (Exception e) when (e is InvalidOperationException or k8s.Exceptions.KubeConfigException or IOException)
{
    Console.Error.WriteLine("aibrix-controllers: " + e.Message);
    return 2;
}

await using var app = ControllerManager.Build(cli, client);
await app.RunAsync();
return 0;
