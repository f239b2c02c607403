using System.CommandLine;

namespace AIBrix.Cli.Tests;

public sealed class CliOptionsTests
{
    private static (T? Value, string[] Errors) Parse<T>(Option<T> option, params string[] args)
    {
        var root = new RootCommand { option };
        var result = root.Parse(args);
        return (result.Errors.Count == 0 ? result.GetValue(option) : default, [.. result.Errors.Select(e => e.Message)]);
    }

    [Theory]
    [InlineData("5", 5, null)]
    [InlineData("-1", 0, "--n: '-1' is not a whole number from 1 to 256")]
    [InlineData("257", 0, "--n: '257' is not a whole number from 1 to 256")]
    [InlineData("2.5", 0, "--n: '2.5' is not a whole number from 1 to 256")]
    public void Int_Range_ValueOrOneLineError(string text, int expected, string? error)
    {
        var (value, errors) = Parse(CliOptions.Int("--n", 4, "n", min: 1, max: 256), $"--n={text}");

        Assert.Equal(error is null ? [] : [error], errors);
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("0.5", 0.5, null)]
    [InlineData("0", 0.0, "--x: '0' is not a positive number")]
    [InlineData("-2", 0.0, "--x: '-2' is not a positive number")]
    [InlineData("NaN", 0.0, "--x: 'NaN' is not a positive number")]
    public void Double_Positive_ValueOrOneLineError(string text, double expected, string? error)
    {
        var (value, errors) = Parse(CliOptions.Double("--x", 1, "x", positive: true), "--x", text);

        Assert.Equal(error is null ? [] : [error], errors);
        Assert.Equal(expected, value);
    }

    [Fact]
    public void Long_AtLeast_SaysTheBound()
    {
        Assert.Equal(["--tpm: '-5' is not a whole number of at least 0"], Parse(CliOptions.Long("--tpm", 1, "t", min: 0), "--tpm", "-5").Errors);
    }

    [Theory]
    [InlineData("127.0.0.1", null)]
    [InlineData("::1", null)]
    [InlineData("localhost", null)]
    [InlineData("my-host", "--listen: 'my-host' is not an IP address")]
    public void Address_IpOrLocalhost(string text, string? error)
    {
        var (value, errors) = Parse(CliOptions.Address("--listen", "0.0.0.0", "bind"), "--listen", text);

        Assert.Equal(error is null ? [] : [error], errors);
        Assert.Equal(error is null ? text : null, value);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8888", null)]
    [InlineData("not a url", "--gateway: 'not a url' is not an http:// or https:// URL")]
    [InlineData("/relative/path", "--gateway: '/relative/path' is not an http:// or https:// URL")]
    public void Url_AbsoluteOnly(string text, string? error)
    {
        var (value, errors) = Parse(CliOptions.Url("--gateway", "gw"), $"--gateway={text}");

        Assert.Equal(error is null ? [] : [error], errors);
        Assert.Equal(error is null ? new Uri(text) : null, value);
    }

    [Fact]
    public void Defaults_WithoutTheOption()
    {
        Assert.Equal(8080, Parse(CliOptions.Port("--p", 8080, "p")).Value);
        Assert.Equal("a", Parse(CliOptions.Choice("--c", "a", "c", "a", "b")).Value);
        Assert.Empty(Parse(CliOptions.List("--l", "l", "A,B")).Value!);
        Assert.Null(Parse(CliOptions.Url("--u", "u")).Value);
    }

    [Fact]
    public void OneOf_ReadsAsEnglish()
    {
        Assert.Equal("a", CliOptions.OneOf(["a"]));
        Assert.Equal("a or b", CliOptions.OneOf(["a", "b"]));
        Assert.Equal("a, b or c", CliOptions.OneOf(["a", "b", "c"]));
    }
}
