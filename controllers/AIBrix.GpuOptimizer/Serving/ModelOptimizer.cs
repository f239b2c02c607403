using System.Globalization;

namespace AIBrix.GpuOptimizer;

/// <summary>A deployment serving the model on one GPU type, as the controller sees it.</summary>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Name">Its name; its profile's <c>gpu</c> names it.</param>
/// <param name="Replicas">Replicas it has now (<c>spec.replicas</c>).</param>
/// <param name="MinReplicas">Least replicas (AIBrix's <c>model.aibrix.ai/min_replicas</c> label; 0 without it).</param>
public sealed record DeploymentState(string Namespace, string Name, int Replicas, int MinReplicas = 0);

/// <summary>What the optimizer suggests for each deployment of a model after one update, and why.</summary>
/// <param name="Replicas">Suggested replicas per deployment (namespace/name), every deployment listed.</param>
/// <param name="Changed">Whether any suggestion differs from the previous update's.</param>
/// <param name="Reason">One line for logs and status.</param>
public sealed record OptimizerDecision(IReadOnlyDictionary<string, int> Replicas, bool Changed, string Reason);

/// <summary>
/// The GPU optimizer of one model, the part of AIBrix's model monitor that decides: it knows the model's deployments
/// (one per GPU type), their profiles and any manual override, and turns each window of load into a suggested replica
/// count per deployment through <see cref="GpuAllocator"/>. It never scales by surprise: with monitoring off, without
/// profiles, or with no request traces in the window (AIBrix #1014, #1713: its optimizer then scaled to the minimum)
/// it keeps the counts the deployments have and says why. A manual override wins over everything. Not thread-safe:
/// one control loop owns it; readers take <see cref="Suggested"/>.
/// </summary>
public sealed class ModelOptimizer(string model, GpuAllocator allocator)
{
    private readonly Dictionary<string, DeploymentState> _deployments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _overrides = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, GpuProfile> _profiles = new Dictionary<string, GpuProfile>(StringComparer.Ordinal);
    private volatile IReadOnlyDictionary<string, int> _suggested = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>The model (the <c>model.aibrix.ai/name</c> label).</summary>
    public string Model { get; } = model;

    /// <summary>Whether load drives the counts (AIBrix's <c>/monitor</c> on and off); off keeps the deployments' own counts.</summary>
    public bool Monitoring { get; set; } = true;

    /// <summary>The deployments known, by <c>namespace/name</c>.</summary>
    public IReadOnlyCollection<DeploymentState> Deployments => _deployments.Values;

    /// <summary>The key of a deployment: <c>namespace/name</c>.</summary>
    public static string KeyOf(string @namespace, string name) => $"{@namespace}/{name}";

    /// <summary>Adds or updates a deployment (its replicas and minimum).</summary>
    public void SetDeployment(DeploymentState deployment) => _deployments[KeyOf(deployment.Namespace, deployment.Name)] = deployment;

    /// <summary>Forgets a deployment; returns how many are left.</summary>
    public int RemoveDeployment(string @namespace, string name)
    {
        string key = KeyOf(@namespace, name);
        _deployments.Remove(key);
        _overrides.Remove(key);
        return _deployments.Count;
    }

    /// <summary>Replaces the profiles (AIBrix's <c>/update_profile</c>); a profile applies to the deployment its <c>gpu</c> names.</summary>
    public void SetProfiles(IEnumerable<GpuProfile> profiles) =>
        _profiles = profiles.GroupBy(p => p.Gpu, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);

    /// <summary>Pins a deployment's count (AIBrix's <c>/scale</c>), or unpins it with null. False when the deployment is unknown.</summary>
    public bool Override(string @namespace, string name, int? replicas)
    {
        string key = KeyOf(@namespace, name);
        if (!_deployments.ContainsKey(key))
        {
            return false;
        }

        if (replicas is { } n)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(n);
            _overrides[key] = n;
        }
        else
        {
            _overrides.Remove(key);
        }

        return true;
    }

    /// <summary>The count last suggested for a deployment; null when it is not one of this model's.</summary>
    public int? Suggested(string @namespace, string name) =>
        _suggested.TryGetValue(KeyOf(@namespace, name), out int n) ? n : null;

    /// <summary>
    /// Decides the counts for the load of the last window; <paramref name="load"/> null means no request traces were
    /// found in it (which is not the same as no requests: the monitor may be off or Redis empty).
    /// </summary>
    public OptimizerDecision Update(LoadHistogram? load)
    {
        var counts = _deployments.ToDictionary(d => d.Key, d => d.Value.Replicas, StringComparer.Ordinal);
        string reason;
        var profiled = _deployments.Where(d => _profiles.ContainsKey(d.Value.Name)).ToList();
        if (!Monitoring)
        {
            reason = "monitoring is off: keeping the deployments' own counts";
        }
        else if (profiled.Count == 0)
        {
            reason = $"no profile for any deployment of {Model} (aibrix:profile_{Model}_<deployment>): keeping current counts";
        }
        else if (load is null)
        {
            reason = "no request traces in the window (is the gateway's --load-monitor on?): keeping current counts rather than scaling to the minimum";
        }
        else
        {
            var pools = profiled.Select(d => new GpuPool(_profiles[d.Value.Name]) { MinReplicas = d.Value.MinReplicas }).ToList();
            var decision = allocator.Update(new AllocationProblem(load, pools));
            reason = decision.Reason;
            if (decision.Allocation is { } allocation)
            {
                foreach (var (key, deployment) in profiled)
                {
                    counts[key] = allocation.ReplicasOf(deployment.Name);
                }

                int unprofiled = _deployments.Count - profiled.Count;
                if (unprofiled > 0)
                {
                    reason += string.Create(CultureInfo.InvariantCulture, $"; {unprofiled} deployment(s) without a profile keep their counts");
                }
            }
        }

        foreach (var (key, replicas) in _overrides)
        {
            counts[key] = replicas;
        }

        if (_overrides.Count > 0)
        {
            reason += string.Create(CultureInfo.InvariantCulture, $"; {_overrides.Count} manual override(s) applied");
        }

        var previous = _suggested;
        bool changed = counts.Count != previous.Count || counts.Any(c => !previous.TryGetValue(c.Key, out int p) || p != c.Value);
        _suggested = counts;
        return new OptimizerDecision(counts, changed, reason);
    }

    /// <summary>
    /// What AIBrix's optimizer answers on <c>GET /metrics/{namespace}/{deployment}</c>: the suggested count as the gauge
    /// <c>vllm:deployment_replicas{model_name="..."}</c>, which a PodAutoscaler's external metric source reads.
    /// </summary>
    public static string PrometheusText(string model, int replicas) => string.Create(CultureInfo.InvariantCulture, $$"""
        # HELP vllm:deployment_replicas Number of suggested replicas.
        # TYPE vllm:deployment_replicas gauge
        vllm:deployment_replicas{model_name="{{Escape(model)}}"} {{replicas}}

        """);

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
