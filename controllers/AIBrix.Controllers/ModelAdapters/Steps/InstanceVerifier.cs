using k8s.Models;
using Microsoft.Extensions.Logging;

namespace AIBrix.Controllers.ModelAdapters.Steps;

/// <summary>Step: verify the instances status lists. An instance counts only while its pod serves and its engine lists the adapter (#235, #214).</summary>
internal sealed partial class InstanceVerifier(PodEngines engines, ILogger logger)
{
    /// <summary>The listed pods that are candidates and whose engine lists the adapter, in listed order.</summary>
    public async Task<List<string>> VerifyAsync(AdapterWork work, IEnumerable<string>? listed, IReadOnlyDictionary<string, V1Pod> candidates, CancellationToken cancellationToken)
    {
        var instances = new List<string>();
        foreach (var pod in listed ?? [])
        {
            if (candidates.TryGetValue(pod, out var p) && await engines.ListsAsync(p, work.Name, work.ApiKey, cancellationToken))
            {
                instances.Add(pod);
            }
            else
            {
                Log.Lost(logger, work.Key, pod);
            }
        }

        return instances;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "{Key}: adapter no longer on pod {Pod} (pod gone, not ready, or engine lost it); placing again")]
        public static partial void Lost(ILogger logger, string key, string pod);
    }
}
