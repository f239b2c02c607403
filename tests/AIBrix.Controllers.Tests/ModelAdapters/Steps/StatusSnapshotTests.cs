using AIBrix.Controllers.ModelAdapters.Steps;
using AIBrix.Kubernetes.Crds;
using k8s.Models;

namespace AIBrix.Controllers.Tests.ModelAdapters.Steps;

public sealed class StatusSnapshotTests
{
    [Theory]
    [InlineData("none", true)]
    [InlineData("transition time", true)] // times alone are not worth a write
    [InlineData("condition generation", true)]
    [InlineData("phase", false)]
    [InlineData("ready replicas", false)]
    [InlineData("observed generation", false)]
    [InlineData("instances", false)]
    [InlineData("instances order", false)]
    [InlineData("candidates", false)]
    [InlineData("condition status", false)]
    [InlineData("condition reason", false)]
    [InlineData("condition message", false)]
    [InlineData("condition added", false)]
    [InlineData("conditions reordered", false)]
    public void Same_OneFieldChanged_WrittenUnlessOnlyTimesMoved(string change, bool same)
    {
        var written = Status();
        var next = StatusSnapshot.Copy(written);
        switch (change)
        {
            case "transition time": next.Conditions![0].LastTransitionTime = DateTime.UnixEpoch.AddHours(1); break;
            case "condition generation": next.Conditions![0].ObservedGeneration = 9; break;
            case "phase": next.Phase = ModelAdapterPhase.Pending; break;
            case "ready replicas": next.ReadyReplicas = 1; break;
            case "observed generation": next.ObservedGeneration = 4; break;
            case "instances": next.Instances = ["pod-a"]; break;
            case "instances order": next.Instances = ["pod-b", "pod-a"]; break;
            case "candidates": next.Candidates!.Add("pod-c"); break;
            case "condition status": next.Conditions![1].Status = "False"; break;
            case "condition reason": next.Conditions![1].Reason = "Retrying"; break;
            case "condition message": next.Conditions![1].Message = "1/2 replicas loaded"; break;
            case "condition added": next.Conditions!.Add(new V1Condition { Type = "Scheduled", Status = "True", Reason = "Scheduled", Message = "placed" }); break;
            case "conditions reordered": next.Conditions!.Reverse(); break;
        }

        Assert.Equal(same, StatusSnapshot.Same(written, next));
    }

    [Fact]
    public void Same_NothingWrittenYet_Written()
    {
        Assert.False(StatusSnapshot.Same(null, new ModelAdapterStatus()));
        Assert.True(StatusSnapshot.Same(new ModelAdapterStatus(), StatusSnapshot.Copy(null)));
    }

    [Fact]
    public void Copy_EditingTheCopy_LeavesTheCachedStatusAsRead()
    {
        var cached = Status();

        var copy = StatusSnapshot.Copy(cached);
        copy.Conditions![0].Reason = "Changed";
        copy.Instances!.Add("pod-z");
        copy.Candidates!.Clear();

        Assert.Equal("Validated", cached.Conditions![0].Reason);
        Assert.Equal(["pod-a", "pod-b"], cached.Instances);
        Assert.Equal(2, cached.Candidates!.Count);
        Assert.True(StatusSnapshot.Same(cached, StatusSnapshot.Copy(cached)));
    }

    private static ModelAdapterStatus Status() => new()
    {
        Phase = ModelAdapterPhase.Running,
        ReadyReplicas = 2,
        ObservedGeneration = 3,
        Instances = ["pod-a", "pod-b"],
        Candidates = ["pod-a", "pod-b"],
        Conditions =
        [
            new V1Condition { Type = "Initialized", Status = "True", Reason = "Validated", Message = "spec is valid", LastTransitionTime = DateTime.UnixEpoch, ObservedGeneration = 3 },
            new V1Condition { Type = "Ready", Status = "True", Reason = "Loaded", Message = "2/2 replicas loaded", LastTransitionTime = DateTime.UnixEpoch, ObservedGeneration = 3 },
        ],
    };
}
