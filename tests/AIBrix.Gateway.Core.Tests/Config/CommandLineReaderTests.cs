using AIBrix.Gateway.Core.Config;

namespace AIBrix.Gateway.Core.Tests.Config;

public class CommandLineReaderTests
{
    [Fact]
    public void Reader_InlineAndSeparateValues_ListsNumbersPortsAndEveryError()
    {
        var reader = new CommandLineReader(["mode", "--a=1", "--b", "two", "--ns", "x, y,,z", "--n", "300", "--p=70000", "--flag", "--c", "--bogus=3"], start: 1);
        var seen = new List<(string, object?)>();

        while (reader.MoveNext(out string option))
        {
            switch (option)
            {
                case "--a": seen.Add((option, reader.Value(option))); break;
                case "--b": seen.Add((option, reader.Value(option))); break;
                case "--ns": seen.Add((option, string.Join("|", reader.List(option)))); break;
                case "--n": seen.Add((option, reader.Number(option, 1, 256))); break;
                case "--p": seen.Add((option, reader.Port(option))); break;
                case "--flag": seen.Add((option, reader.InlineValue)); break;
                case "--c": seen.Add((option, reader.Value(option))); break;
                default: reader.Unknown(); break;
            }
        }

        Assert.Equal([("--a", "1"), ("--b", "two"), ("--ns", "x|y|z"), ("--n", null), ("--p", null), ("--flag", null), ("--c", null)], seen);
        Assert.Equal(
            ["--n: '300' must be a number from 1 to 256", "--p: '70000' is not a port (0-65535)", "--c needs a value", "unknown option '--bogus=3'"],
            reader.Errors);
    }
}
