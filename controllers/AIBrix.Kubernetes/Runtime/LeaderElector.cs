using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AIBrix.Kubernetes.Runtime;

/// <summary>Settings of <see cref="LeaderElector"/> (client-go's defaults: 15 s lease, 10 s renew deadline, 2 s retry).</summary>
public sealed record LeaderElectionOptions
{
    /// <summary>Namespace of the Lease.</summary>
    public string Namespace { get; init; } = "aibrix-system";

    /// <summary>Name of the Lease.</summary>
    public string LeaseName { get; init; } = "aibrix-controllers";

    /// <summary>This replica's identity (pod name by default).</summary>
    public string Identity { get; init; } = Environment.GetEnvironmentVariable("POD_NAME") ?? Environment.MachineName + "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>How long a lease stays valid without renewal.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The leader gives up when it could not renew for this long.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause between tries to acquire or renew.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>
/// Leader election on a <c>coordination.k8s.io/v1</c> Lease: take it when absent or expired, renew it while leading,
/// and stop leading when renewal fails past the deadline. Optimistic concurrency (resourceVersion) settles races.
/// </summary>
public sealed partial class LeaderElector(IKubernetes client, LeaderElectionOptions options, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>True while this replica holds the lease.</summary>
    public bool IsLeader { get; private set; }

    /// <summary>One attempt to acquire or renew; false when another replica holds a valid lease or a race was lost.</summary>
    public async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = options.Time.GetUtcNow().UtcDateTime;
        var lease = await ApiReads.OrNullAsync(() => client.CoordinationV1.ReadNamespacedLeaseAsync(options.LeaseName, options.Namespace, cancellationToken: cancellationToken));

        try
        {
            if (lease is null)
            {
                await client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
                {
                    Metadata = new V1ObjectMeta { Name = options.LeaseName, NamespaceProperty = options.Namespace },
                    Spec = new V1LeaseSpec
                    {
                        HolderIdentity = options.Identity,
                        LeaseDurationSeconds = (int)options.LeaseDuration.TotalSeconds,
                        AcquireTime = now,
                        RenewTime = now,
                        LeaseTransitions = 0,
                    },
                }, options.Namespace, cancellationToken: cancellationToken);
                return IsLeader = true;
            }

            var spec = lease.Spec ??= new V1LeaseSpec();
            bool mine = spec.HolderIdentity == options.Identity;
            var expires = (spec.RenewTime ?? DateTime.MinValue).AddSeconds(spec.LeaseDurationSeconds ?? 0);
            if (!mine && !string.IsNullOrEmpty(spec.HolderIdentity) && expires > now)
            {
                return IsLeader = false;
            }

            if (!mine)
            {
                spec.HolderIdentity = options.Identity;
                spec.AcquireTime = now;
                spec.LeaseTransitions = (spec.LeaseTransitions ?? 0) + 1;
                Log.Acquired(_logger, options.Identity, options.Namespace, options.LeaseName);
            }

            spec.RenewTime = now;
            spec.LeaseDurationSeconds = (int)options.LeaseDuration.TotalSeconds;
            await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, options.LeaseName, options.Namespace, cancellationToken: cancellationToken);
            return IsLeader = true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Conflict)
        {
            return IsLeader = false; // another replica wrote first
        }
    }

    /// <summary>
    /// Waits to become leader, then runs <paramref name="lead"/> with a token cancelled when leadership is lost;
    /// returns when <paramref name="cancellationToken"/> is cancelled or leadership is lost.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> lead, CancellationToken cancellationToken)
    {
        while (!await TryQuietlyAsync(cancellationToken))
        {
            await Task.Delay(options.RetryPeriod, options.Time, cancellationToken);
        }

        using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var work = lead(leading.Token);
        var lastRenew = options.Time.GetUtcNow();
        try
        {
            while (!cancellationToken.IsCancellationRequested && !work.IsCompleted)
            {
                await Task.WhenAny(work, Task.Delay(options.RetryPeriod, options.Time, cancellationToken));
                if (await TryQuietlyAsync(cancellationToken))
                {
                    lastRenew = options.Time.GetUtcNow();
                }
                else if (options.Time.GetUtcNow() - lastRenew > options.RenewDeadline)
                {
                    Log.Lost(_logger, options.Identity);
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            IsLeader = false;
            await leading.CancelAsync();
            try
            {
                await work;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task<bool> TryQuietlyAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await TryAcquireOrRenewAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.Failed(_logger, e.Message);
            return IsLeader = false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "{Identity} acquired lease {Namespace}/{Lease}")]
        public static partial void Acquired(ILogger logger, string identity, string @namespace, string lease);

        [LoggerMessage(2, LogLevel.Warning, "{Identity} lost leadership (renew deadline passed)")]
        public static partial void Lost(ILogger logger, string identity);

        [LoggerMessage(3, LogLevel.Warning, "lease acquire/renew failed: {Error}")]
        public static partial void Failed(ILogger logger, string error);
    }
}
