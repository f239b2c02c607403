namespace AIBrix.EngineMetrics.Tests;

public class EngineKindsTests
{
    [Theory]
    [InlineData("vllm", EngineKind.Vllm)]
    [InlineData(" VLLM ", EngineKind.Vllm)]
    [InlineData("sglang", EngineKind.Sglang)]
    [InlineData("SGLang", EngineKind.Sglang)]
    [InlineData("llamacpp", EngineKind.LlamaCpp)]
    [InlineData("llama.cpp", EngineKind.LlamaCpp)]
    [InlineData("llama-cpp", EngineKind.LlamaCpp)]
    public void TryParse_KnownName_ReturnsKind(string name, EngineKind expected)
    {
        Assert.True(EngineKinds.TryParse(name, out var kind));
        Assert.Equal(expected, kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("tgi")]
    [InlineData(null)]
    public void TryParse_UnknownName_Fails(string? name) => Assert.False(EngineKinds.TryParse(name, out _));

    [Theory]
    [InlineData(null, EngineKind.Vllm)]
    [InlineData("tgi", EngineKind.Vllm)]
    [InlineData("sglang", EngineKind.Sglang)]
    [InlineData("llama.cpp", EngineKind.LlamaCpp)]
    public void FromLabel_MissingOrUnknownIsVllm(string? label, EngineKind expected) => Assert.Equal(expected, EngineKinds.FromLabel(label));
}
