namespace AIBrix.Gateway.Core.Tests.OpenAI;

/// <summary>The shared OpenAI samples (<c>shared/data/openai</c>), found as every shared file is: <see cref="SharedData"/>.</summary>
internal static class SampleData
{
    public static byte[] Read(string fileName) => File.ReadAllBytes(SharedData.PathOf(Path.Combine("openai", fileName)));
}
