namespace AIBrix.Kubernetes.Runtime;

/// <summary>An informer seen without its object type: what a controller's run needs to start it and wait for its cache.</summary>
public interface IInformer
{
    /// <summary>Lists, then watches, until cancelled.</summary>
    Task RunAsync(CancellationToken cancellationToken);

    /// <summary>Completes after the current run's first successful list.</summary>
    Task Synced { get; }
}
