namespace AIBrix.Gateway.Core.Tests;

/// <summary>
/// Finds files in the shared data folder that sits beside the clone (<c>../shared/data</c> from the folder holding
/// AIBrix.sln). A git worktree lives one level deeper, so the folders above are tried too.
/// </summary>
internal static class SharedData
{
    public static string PathOf(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AIBrix.sln")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new InvalidOperationException($"AIBrix.sln not found above {AppContext.BaseDirectory}; cannot locate ../shared/data.");
        }

        var tried = new List<string>();
        for (var parent = dir.Parent; parent is not null; parent = parent.Parent)
        {
            string path = Path.Combine(parent.FullName, "shared", "data", relative);
            if (File.Exists(path))
            {
                return path;
            }

            tried.Add(path);
        }

        throw new FileNotFoundException(
            $"Shared test data '{relative}' is missing; the shared folder must sit beside the clone. Tried: {string.Join(", ", tried)}");
    }
}
