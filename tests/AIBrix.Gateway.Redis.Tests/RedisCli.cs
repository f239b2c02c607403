using System.Diagnostics;

namespace AIBrix.Gateway.Redis.Tests;

/// <summary><c>redis-cli</c> for the admin work of the cluster and sentinel fixtures (Debian's redis-tools, a dependency of redis-server).</summary>
public static class RedisCli
{
    private static readonly string[] Candidates = ["/usr/bin/redis-cli", "/usr/local/bin/redis-cli"];

    public static string Executable =>
        Candidates.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("redis-cli not found (looked in " + string.Join(", ", Candidates) + "). Install it with `apt-get install -y redis-tools` or run scripts/test-deps.sh.");

    /// <summary>Runs <c>redis-cli -p PORT args...</c> and returns its output; throws with the output when it fails.</summary>
    public static async Task<string> RunAsync(int port, params string[] args)
    {
        var info = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-h");
        info.ArgumentList.Add("127.0.0.1");
        info.ArgumentList.Add("-p");
        info.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start redis-cli");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        string text = await output + await error;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"redis-cli -p {port} {string.Join(' ', args)} exited {process.ExitCode}: {text}");
        }

        return text;
    }

    /// <summary>The value of <paramref name="field"/> in an <c>INFO</c>-style reply (<c>field:value</c> lines), or null.</summary>
    public static string? Field(string reply, string field)
    {
        foreach (string line in reply.Split('\n'))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return line[(field.Length + 1)..].Trim();
            }
        }

        return null;
    }

    /// <summary>Polls <paramref name="condition"/> every 50 ms until it holds; throws naming <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (InvalidOperationException) when (DateTime.UtcNow < deadline)
            {
                // a node not answering yet: ask again
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what}: not within {timeout.TotalSeconds:0} s");
            }

            await Task.Delay(50);
        }
    }
}
