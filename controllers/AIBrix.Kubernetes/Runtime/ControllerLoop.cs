using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AIBrix.Kubernetes.Runtime;

/// <summary>
/// Drains a <see cref="WorkQueue"/> with N workers into an <see cref="IReconciler"/>: success forgets the key's
/// failures and honours a requeue; an exception retries the key with backoff; one bad key never stops the others.
/// </summary>
public sealed partial class ControllerLoop(string name, WorkQueue queue, IReconciler reconciler, int workers = 2, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private long _reconciles;
    private long _errors;

    /// <summary>The controller's name, for logs.</summary>
    public string Name => name;

    /// <summary>Reconciles run so far.</summary>
    public long Reconciles => Interlocked.Read(ref _reconciles);

    /// <summary>Reconciles that threw.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>
    /// A controller's whole run: starts <paramref name="informers"/>, waits for every cache, queues
    /// <paramref name="initialKeys"/>, runs the workers until cancelled, then waits for the informers to stop. Every run
    /// starts with a full pass: a replica that leads again after losing leadership must not trust that the keys it had
    /// queued, or the world, are as it left them.
    /// </summary>
    public async Task RunWithInformersAsync(IReadOnlyCollection<IInformer> informers, Func<IEnumerable<string>> initialKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(informers);
        ArgumentNullException.ThrowIfNull(initialKeys);
        var running = informers.Select(i => i.RunAsync(cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(informers.Select(i => i.Synced)).WaitAsync(cancellationToken);
            foreach (string key in initialKeys())
            {
                queue.Add(key);
            }

            await RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(running);
    }

    /// <summary>Runs the workers until cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, workers)).Select(_ => Task.Run(() => WorkAsync(cancellationToken), CancellationToken.None)));

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            string key;
            try
            {
                key = await queue.TakeAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                Interlocked.Increment(ref _reconciles);
                var result = await reconciler.ReconcileAsync(key, cancellationToken);
                queue.Forget(key);
                if (result.RequeueAfter is { } after)
                {
                    queue.AddAfter(key, after);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                queue.Add(key); // interrupted, not done: the next run (or leader term) picks it up again
                return;
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref _errors);
                var delay = queue.AddRateLimited(key);
                Log.Failed(_logger, name, key, delay.TotalMilliseconds, e);
            }
            finally
            {
                queue.Done(key);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "{Controller}: reconcile of {Key} failed, retrying in {DelayMs} ms")]
        public static partial void Failed(ILogger logger, string controller, string key, double delayMs, Exception error);
    }
}
