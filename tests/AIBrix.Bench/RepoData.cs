namespace AIBrix.Bench;

/// <summary>
/// The recorded data that ships with the repository (<c>tests/data</c>: traces, engine and OpenAI samples, each folder
/// with its SOURCE.md). The micro-benchmarks and <c>make bench</c> read from it; found by walking up from the
/// executable, then from the working directory, to the folder holding AIBrix.sln.
/// </summary>
public static class RepoData
{
    /// <summary>The full path of <paramref name="relative"/> (e.g. <c>mooncake/conversation_trace.jsonl</c>).</summary>
    public static string PathOf(string relative)
    {
        var tried = new List<string>();
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "AIBrix.sln")))
                {
                    string path = Path.Combine(dir.FullName, "tests", "data", relative);
                    if (File.Exists(path))
                    {
                        return path;
                    }

                    tried.Add(path);
                    break;
                }
            }
        }

        throw new FileNotFoundException(
            tried.Count == 0
                ? $"'{relative}': no AIBrix.sln above {AppContext.BaseDirectory} or the working directory; pass the file's path instead"
                : $"'{relative}' not found; tried {string.Join(", ", tried)}");
    }
}
