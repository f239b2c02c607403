using System.CommandLine;
using System.CommandLine.Parsing;

namespace AIBrix.Cli;

/// <summary>
/// Runs a command line the way every AIBrix executable does: <c>--help</c> prints the help and exits 0; bad
/// usage (an unknown option, a missing or unparsable value, a value out of range, options that do not fit
/// together) prints one line per problem on standard error, then where to find the usage, and exits 2
/// without running anything.
/// </summary>
public static class CliRunner
{
    /// <summary>Exit code of bad usage (as the BSD <c>EX_USAGE</c> convention and getopt-based tools use).</summary>
    public const int UsageExitCode = 2;

    /// <summary>
    /// Parses <paramref name="args"/> against <paramref name="root"/> and runs the chosen command's action.
    /// </summary>
    /// <param name="root">The command tree, actions set.</param>
    /// <param name="args">The arguments, without the executable.</param>
    /// <param name="tool">The executable's name, which starts each error line.</param>
    /// <param name="output">Where help goes (standard output when null).</param>
    /// <param name="error">Where errors go (standard error when null).</param>
    /// <param name="cancellationToken">Cancels the action.</param>
    /// <returns>The action's exit code, 0 after help, or <see cref="UsageExitCode"/>.</returns>
    public static Task<int> InvokeAsync(
        RootCommand root,
        IReadOnlyList<string> args,
        string tool,
        TextWriter? output = null,
        TextWriter? error = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        var result = root.Parse(args);
        var configuration = new InvocationConfiguration
        {
            Output = output ?? Console.Out,
            Error = error ?? Console.Error,
            // An action's own exceptions are bugs or operational failures, not usage: let them surface as they are.
            EnableDefaultExceptionHandler = false,
            // The hosts handle SIGINT/SIGTERM themselves (graceful shutdown with their own timeouts).
            ProcessTerminationTimeout = null,
        };
        if (result.Errors.Count > 0)
        {
            return Task.FromResult(Report(configuration.Error, tool, result, result.Errors.Select(e => e.Message)));
        }

        return result.InvokeAsync(configuration, cancellationToken);
    }

    /// <summary>
    /// For actions: reports problems found after parsing (values that do not fit together, a file that is not
    /// there) exactly as parse errors are reported, and returns <see cref="UsageExitCode"/>.
    /// </summary>
    public static int UsageError(ParseResult result, string tool, IEnumerable<string> errors)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Report(result.InvocationConfiguration.Error, tool, result, errors);
    }

    private static int Report(TextWriter error, string tool, ParseResult result, IEnumerable<string> errors)
    {
        foreach (string message in errors.Distinct(StringComparer.Ordinal))
        {
            error.WriteLine($"{tool}: {message}");
        }

        error.WriteLine($"Run '{CommandPath(tool, result.CommandResult)} --help' for usage.");
        return UsageExitCode;
    }

    /// <summary><c>tool sub1 sub2</c> for the command the arguments reached.</summary>
    private static string CommandPath(string tool, CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? at = command; at is CommandResult { Command: not RootCommand } sub; at = sub.Parent)
        {
            names.Add(sub.Command.Name);
        }

        names.Add(tool);
        names.Reverse();
        return string.Join(' ', names);
    }
}
