namespace AIBrix.Kubernetes.Crds;

/// <summary>Labels and annotations the fleet controllers put on replica sets, RayClusters and head pods.</summary>
public static class FleetLabels
{
    /// <summary>The template hash of a replica set, on it, its selector and its RayClusters (a Deployment's label).</summary>
    public const string TemplateHash = "pod-template-hash";

    /// <summary>The fleet's name, on its replica sets, RayClusters and head pods (the scale selector and discovery read it).</summary>
    public const string FleetName = "orchestration.aibrix.ai/fleet-name";

    /// <summary>A replica set's revision number, and the fleet's current one.</summary>
    public const string Revision = "orchestration.aibrix.ai/revision";

    /// <summary>On a fleet: roll its template back to this revision (0 or empty: the previous one); cleared once done.</summary>
    public const string RollbackTo = "orchestration.aibrix.ai/rollback-to";

    /// <summary>The head pods of a fleet, as the scale subresource's selector.</summary>
    public static string HeadSelector(string fleet) => $"{FleetName}={fleet},{RayCluster.NodeTypeLabel}=head";
}
