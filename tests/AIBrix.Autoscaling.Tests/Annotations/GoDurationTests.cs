using AIBrix.Autoscaling.Annotations;

namespace AIBrix.Autoscaling.Tests.Annotations;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("300s", 300)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.5s", 1.5)]
    [InlineData("500ms", 0.5)]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    [InlineData("-1s", -1)]
    [InlineData("2m30.5s", 150.5)]
    public void TryParse_GoSyntax_Seconds(string text, double seconds)
    {
        Assert.True(GoDuration.TryParse(text, out var value, out var error), error);
        Assert.Equal(seconds, value.TotalSeconds, 9);
    }

    [Theory]
    [InlineData("300", "without a unit")]
    [InlineData("5x", "unknown unit 'x'")]
    [InlineData("", "empty")]
    [InlineData("5 m", "unknown unit ' m'")]
    [InlineData("m", "is not a duration")]
    [InlineData("1.2.3s", "is not a duration")]
    public void TryParse_Malformed_SaysWhy(string text, string why)
    {
        Assert.False(GoDuration.TryParse(text, out _, out var error));
        Assert.Contains(why, error, StringComparison.Ordinal);
    }
}
