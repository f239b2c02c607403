namespace AIBrix.Labels.Tests;

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

    [Theory]
    [InlineData("zone=a", "zone=a")]
    [InlineData("zone==a", "zone=a")]
    [InlineData(" zone != b ", "zone!=b")]
    [InlineData("zone in (b, a, b)", "zone in (a,b)")]
    [InlineData("zone notin (c,b)", "zone notin (b,c)")]
    [InlineData("gpu,!spot", "gpu,!spot")]
    [InlineData("aibrix.ai/tier=gold,zone in (a)", "aibrix.ai/tier=gold,zone in (a)")]
    public void ToString_Parsed_IsCanonicalAndParsesBack(string selector, string expected)
    {
        var parsed = LabelSelector.Parse(selector);

        Assert.Equal(expected, parsed.ToString());
        Assert.Equal(expected, LabelSelector.Parse(parsed.ToString()).ToString());
    }

    [Fact]
    public void Parse_Malformed_ThrowsFormatExceptionWithReason()
    {
        var e = Assert.Throws<FormatException>(() => LabelSelector.Parse("zone within (a)"));

        Assert.Contains("expected '=', '==', '!=', 'in' or 'notin'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, true, "")]
    [InlineData("zone=a", null, true, "zone=a")]
    [InlineData("zone=b", null, false, "zone=b")]
    [InlineData("gpu=h100,zone=a", null, true, "gpu=h100,zone=a")]
    [InlineData("zone=a", "gpu:In:h100|a100", true, "zone=a,gpu in (a100,h100)")]
    [InlineData(null, "gpu:NotIn:h100", false, "gpu notin (h100)")]
    [InlineData(null, "missing:NotIn:x", true, "missing notin (x)")]
    [InlineData(null, "gpu:Exists:", true, "gpu")]
    [InlineData(null, "spot:DoesNotExist:", true, "!spot")]
    [InlineData(null, "gpu:DoesNotExist:", false, "!gpu")]
    public void TryCreate_MatchLabelsAndExpressions_MatchesAndRenders(string? matchLabels, string? expression, bool expected, string rendered)
    {
        var labels = matchLabels?.Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        var expressions = new List<LabelRequirement>();
        if (expression is not null)
        {
            var parts = expression.Split(':');
            var values = parts[2].Length == 0 ? [] : parts[2].Split('|');
            Assert.True(LabelRequirement.TryFromExpression(parts[0], parts[1], values, out var requirement, out var reason), reason);
            expressions.Add(requirement!);
        }

        Assert.True(LabelSelector.TryCreate(labels, expressions, out var selector, out var error), error);

        Assert.Equal(expected, selector!.Matches(Labels));
        Assert.Equal(rendered, selector.ToString());
    }

    [Fact]
    public void TryCreate_Nothing_IsEverything()
    {
        Assert.True(LabelSelector.TryCreate(null, null, out var selector, out _));

        Assert.Same(LabelSelector.Everything, selector);
        Assert.True(selector!.Matches(new Dictionary<string, string>()));
    }

    [Theory]
    [InlineData("gpu", "Within", "a", "is not a valid operator")]
    [InlineData("gpu", "In", "", "In needs at least one value")]
    [InlineData("gpu", "NotIn", "", "NotIn needs at least one value")]
    [InlineData("gpu", "Exists", "a", "Exists takes no values")]
    [InlineData("gpu", "DoesNotExist", "a", "DoesNotExist takes no values")]
    [InlineData("", "Exists", "", "a requirement needs a key")]
    public void TryFromExpression_Invalid_FailsWithReason(string key, string op, string values, string reason)
    {
        Assert.False(LabelRequirement.TryFromExpression(key, op, values.Length == 0 ? [] : values.Split('|'), out _, out var error));

        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryCreate_ValueOutsideLabelSyntax_ComparedAsData()
    {
        // A ModelAdapter's default selector is its base model name, which may hold a '/': it is data, not syntax.
        var model = new Dictionary<string, string> { ["model.aibrix.ai/name"] = "meta-llama/Llama-3.1-8B-Instruct" };
        Assert.True(LabelSelector.TryCreate(model, null, out var selector, out var error), error);

        Assert.True(selector!.Matches(model));
        Assert.False(selector.Matches(Labels));
    }

    [Fact]
    public void TryCreate_EmptyMatchLabelValue_MatchesOnlyAnEmptyLabel()
    {
        Assert.True(LabelSelector.TryCreate(new Dictionary<string, string> { ["zone"] = "" }, null, out var selector, out _));

        Assert.False(selector!.Matches(Labels));
        Assert.True(selector.Matches(new Dictionary<string, string> { ["zone"] = "" }));
        Assert.Equal("zone=", selector.ToString());
    }
}
