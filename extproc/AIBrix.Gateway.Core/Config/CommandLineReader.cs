using System.Globalization;

namespace AIBrix.Gateway.Core.Config;

/// <summary>
/// Walks a command line of <c>--option value</c> and <c>--option=value</c> arguments for the gateway's and the
/// controller manager's parsers, collecting every problem in <see cref="Errors"/> instead of stopping at the first.
/// </summary>
public sealed class CommandLineReader(IReadOnlyList<string> args, int start = 0)
{
    private int _next = start;

    /// <summary>Every problem found so far, in order.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>The current argument as typed (value included when written <c>--option=value</c>).</summary>
    public string Current { get; private set; } = "";

    /// <summary>The value written after <c>=</c> in the current argument, if any.</summary>
    public string? InlineValue { get; private set; }

    /// <summary>Moves to the next argument; <paramref name="option"/> is its name without any <c>=value</c>.</summary>
    public bool MoveNext(out string option)
    {
        if (_next >= args.Count)
        {
            option = "";
            return false;
        }

        Current = option = args[_next++];
        InlineValue = null;
        int eq = option.IndexOf('=', StringComparison.Ordinal);
        if (option.StartsWith("--", StringComparison.Ordinal) && eq > 0)
        {
            InlineValue = option[(eq + 1)..];
            option = option[..eq];
        }

        return true;
    }

    /// <summary>The current option's value: after <c>=</c>, else the next argument unless that is an option.</summary>
    public string? Value(string name)
    {
        if (InlineValue is not null)
        {
            return InlineValue;
        }

        if (_next < args.Count && !args[_next].StartsWith("--", StringComparison.Ordinal))
        {
            return args[_next++];
        }

        Errors.Add($"{name} needs a value");
        return null;
    }

    /// <summary>A comma-separated value as a list (empty entries dropped).</summary>
    public IReadOnlyList<string> List(string name) =>
        (Value(name) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>An integer value from <paramref name="min"/> to <paramref name="max"/>; null (and an error) otherwise.</summary>
    public int? Number(string name, int min, int max)
    {
        string? value = Value(name);
        if (value is null)
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max)
        {
            return n;
        }

        Errors.Add($"{name}: '{value}' must be a number from {min} to {max}");
        return null;
    }

    /// <summary>A TCP port (0-65535; 0 lets the OS pick); null (and an error) otherwise.</summary>
    public int? Port(string name)
    {
        string? value = Value(name);
        if (value is null)
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port <= 65535)
        {
            return port;
        }

        Errors.Add($"{name}: '{value}' is not a port (0-65535)");
        return null;
    }

    /// <summary>Records the current argument as an unknown option.</summary>
    public void Unknown() => Errors.Add($"unknown option '{Current}'");
}
