namespace AIBrix.Tests;

/// <summary>
/// The recorded data the tests read (traces, engine <c>/metrics</c> and OpenAI samples). The files live in the
/// repository under <c>tests/data</c>, each folder with a SOURCE.md naming origin, commit and licence, and the build
/// copies them beside the test assembly (see Directory.Build.targets).
/// </summary>
internal static class TestData
{
    /// <summary>The full path of <paramref name="relative"/> (e.g. <c>openai/completion.json</c>) under the data folder.</summary>
    public static string PathOf(string relative)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "data", relative);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"test data '{relative}' is missing at {path}; it is copied from tests/data at build time (set UsesTestData in the test project)", path);
        }

        return path;
    }
}
