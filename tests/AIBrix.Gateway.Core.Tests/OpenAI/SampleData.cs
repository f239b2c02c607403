using AIBrix.Tests;

namespace AIBrix.Gateway.Core.Tests.OpenAI;

/// <summary>The OpenAI response and error samples (<c>tests/data/openai</c>, see its SOURCE.md).</summary>
internal static class SampleData
{
    public static byte[] Read(string fileName) => File.ReadAllBytes(TestData.PathOf(Path.Combine("openai", fileName)));
}
