using System.CommandLine;

namespace AIBrix.Cli.Tests;

public sealed class CliRunnerTests
{
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();

    private sealed record Seen(int Port, string Mode, string[] Names, bool Ran);

    private (RootCommand Root, Func<Seen?> Seen) Tool()
    {
        var port = CliOptions.Port("--port", 8000, "port to listen on");
        var mode = CliOptions.Choice("--mode", "fast", "how to run", "fast", "safe");
        var names = CliOptions.List("--names", "who", "A,B", "--name");
        var serve = new Command("serve", "serve things") { port, mode, names };
        Seen? seen = null;
        serve.SetAction(r =>
        {
            seen = new Seen(r.GetValue(port), r.GetValue(mode)!, r.GetValue(names)!, true);
            return seen.Port == 1 ? CliRunner.UsageError(r, "tool", ["--port 1 is reserved"]) : 0;
        });
        return (new RootCommand("a tool") { serve }, () => seen);
    }

    [Theory]
    [InlineData("--port", "9000")]
    [InlineData("--port=9000")]
    public async Task InvokeAsync_SeparateOrInlineValue_SameResult(params string[] option)
    {
        var (root, seen) = Tool();

        int code = await CliRunner.InvokeAsync(root, ["serve", .. option, "--mode=SAFE", "--names", "a, b,,", "--name=c"], "tool", _out, _err);

        Assert.Equal(0, code);
        Assert.Equal((9000, "safe"), (seen()!.Port, seen()!.Mode));
        Assert.Equal(["a", "b", "c"], seen()!.Names);
        Assert.Equal("", _err.ToString());
    }

    [Fact]
    public async Task InvokeAsync_NoOptions_Defaults()
    {
        var (root, seen) = Tool();

        Assert.Equal(0, await CliRunner.InvokeAsync(root, ["serve"], "tool", _out, _err));

        Assert.Equal((8000, "fast"), (seen()!.Port, seen()!.Mode));
        Assert.Empty(seen()!.Names);
    }

    [Theory]
    [InlineData("tool: --port: 'x' is not a port (0-65535)", "serve", "--port", "x")]
    [InlineData("tool: --port: '70000' is not a port (0-65535)", "serve", "--port=70000")]
    [InlineData("tool: --mode: 'slow' is not fast or safe", "serve", "--mode", "slow")]
    [InlineData("tool: Unrecognized command or argument '--bogus'.", "serve", "--bogus")]
    [InlineData("tool: Required argument missing for option: '--port'.", "serve", "--port")]
    public async Task InvokeAsync_BadUsage_OneLineErrorHintAndExit2WithoutRunning(string expected, params string[] args)
    {
        var (root, seen) = Tool();

        int code = await CliRunner.InvokeAsync(root, args, "tool", _out, _err);

        Assert.Equal(CliRunner.UsageExitCode, code);
        Assert.Null(seen());
        Assert.Equal([expected, "Run 'tool serve --help' for usage."], Lines(_err));
        Assert.Equal("", _out.ToString());
    }

    [Fact]
    public async Task InvokeAsync_SeveralProblems_EveryOneListed()
    {
        var (root, _) = Tool();

        int code = await CliRunner.InvokeAsync(root, ["serve", "--port", "x", "--mode", "slow", "--bogus"], "tool", _out, _err);

        Assert.Equal(2, code);
        Assert.Equal(4, Lines(_err).Length);
    }

    [Fact]
    public async Task UsageError_FromAnAction_SameShapeAndExit2()
    {
        var (root, seen) = Tool();

        int code = await CliRunner.InvokeAsync(root, ["serve", "--port", "1"], "tool", _out, _err);

        Assert.Equal(2, code);
        Assert.True(seen()!.Ran);
        Assert.Equal(["tool: --port 1 is reserved", "Run 'tool serve --help' for usage."], Lines(_err));
    }

    [Fact]
    public async Task InvokeAsync_Help_DescriptionsAndDefaultsExit0()
    {
        var (root, seen) = Tool();

        int code = await CliRunner.InvokeAsync(root, ["serve", "--help"], "tool", _out, _err);

        Assert.Equal(0, code);
        Assert.Null(seen());
        string help = _out.ToString();
        Assert.Contains("serve things", help, StringComparison.Ordinal);
        Assert.Matches(@"--port <PORT>\s+port to listen on \[default: 8000\]", help);
        Assert.Matches(@"--mode <fast\|safe>\s+how to run \[default: fast\]", help);
        Assert.Equal("", _err.ToString());
    }

    [Fact]
    public async Task InvokeAsync_NoCommand_SaysACommandIsRequired()
    {
        var (root, _) = Tool();

        Assert.Equal(2, await CliRunner.InvokeAsync(root, [], "tool", _out, _err));
        Assert.Equal("Run 'tool --help' for usage.", Lines(_err)[^1]);
    }

    private static string[] Lines(StringWriter writer) =>
        writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
}
