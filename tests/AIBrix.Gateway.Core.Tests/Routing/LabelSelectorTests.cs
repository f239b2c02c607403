using AIBrix.Gateway.Core.Routing;

namespace AIBrix.Gateway.Core.Tests.Routing;

public class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["zone"] = "a", ["gpu"] = "h100", ["aibrix.ai/tier"] = "gold" };

    [Theory]
    [InlineData("zone=a", true)]
    [InlineData("zone==a", true)]
    [InlineData("zone = a", true)]
    [InlineData("zone=b", false)]
    [InlineData("zone!=b", true)]
    [InlineData("zone!=a", false)]
    [InlineData("missing!=x", true)]
    [InlineData("zone in (a, b)", true)]
    [InlineData("zone in (b,c)", false)]
    [InlineData("zone notin (b,c)", true)]
    [InlineData("missing notin (b)", true)]
    [InlineData("gpu", true)]
    [InlineData("missing", false)]
    [InlineData("!missing", true)]
    [InlineData("!gpu", false)]
    [InlineData("zone=a,gpu in (h100,a100),!spot", true)]
    [InlineData("zone=a,gpu=a100", false)]
    [InlineData("aibrix.ai/tier=gold", true)]
    public void Matches_Table(string selector, bool expected)
    {
        Assert.True(LabelSelector.TryParse(selector, out var parsed, out var error), error);
        Assert.Equal(expected, parsed!.Matches(Labels));
    }

    [Theory]
    [InlineData("")]
    [InlineData(",")]
    [InlineData("zone=a,")]
    [InlineData("=a")]
    [InlineData("zone in a,b")]
    [InlineData("zone in (a,b")]
    [InlineData("zone in ()")]
    [InlineData("zone in (a,,b)")]
    [InlineData("zone within (a)")]
    [InlineData("zo ne")]
    [InlineData("!")]
    [InlineData("-zone=a")]
    [InlineData("zone=a b")]
    [InlineData("/zone=a")]
    public void TryParse_Malformed_FailsWithReason(string selector)
    {
        Assert.False(LabelSelector.TryParse(selector, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
