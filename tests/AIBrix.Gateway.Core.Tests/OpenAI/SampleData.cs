namespace AIBrix.Gateway.Core.Tests.OpenAI;

/// <summary>Finds the shared OpenAI samples: the folder holding AIBrix.sln, then ../shared/data/openai (or an ancestor's shared/data/openai, for worktrees).</summary>
internal static class SampleData
{
    private static readonly Lazy<string> Folder = new(Locate);

    public static byte[] Read(string fileName)
    {
        string path = Path.Combine(Folder.Value, fileName);
        Assert.True(File.Exists(path), $"OpenAI sample '{fileName}' is missing from {Folder.Value}.");
        return File.ReadAllBytes(path);
    }

    private static string Locate()
    {
        DirectoryInfo? dir = new(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AIBrix.sln")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new InvalidOperationException($"No folder holding AIBrix.sln above {AppContext.BaseDirectory}; cannot locate shared/data/openai.");
        }

        for (DirectoryInfo? up = dir.Parent; up is not null; up = up.Parent)
        {
            string candidate = Path.Combine(up.FullName, "shared", "data", "openai");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"Sample folder ../shared/data/openai not found above {dir.FullName}; the OpenAI samples are required by these tests.");
    }
}
