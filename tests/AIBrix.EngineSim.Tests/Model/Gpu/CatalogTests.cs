namespace AIBrix.EngineSim.Tests.Model.Gpu;

public class CatalogTests
{
    [Theory]
    [InlineData("a10", "A10")]
    [InlineData("L40s", "L40S")]
    [InlineData("A100-80GB", "A100")]
    [InlineData("h100-sxm", "H100")]
    [InlineData(" H200 ", "H200")]
    public void Find_NameOrAlias_CaseInsensitive(string name, string expected)
    {
        Assert.Equal(expected, GpuCatalog.Find(name)?.Name);
    }

    [Fact]
    public void Find_UnknownGpu_Null()
    {
        Assert.Null(GpuCatalog.Find("V100"));
    }

    [Theory]
    [InlineData("meta-llama/Llama-3.1-8B-Instruct", "Llama-3.1-8B")]
    [InlineData("meta-llama/Meta-Llama-3-8B-Instruct", "Llama-3.1-8B")]
    [InlineData("llama2-7b", "Llama-2-7B")]
    [InlineData("meta-llama/Llama-2-7b-chat-hf", "Llama-2-7B")]
    [InlineData("Qwen/Qwen2.5-7B-Instruct", "Qwen2.5-7B")]
    [InlineData("meta-llama/Llama-3.2-3B-Instruct", "Llama-3.2-3B")]
    public void FindModel_ServedName_ResolvesArchitecture(string served, string expected)
    {
        Assert.Equal(expected, ModelCatalog.Find(served)?.Name);
    }

    [Fact]
    public void FindModel_UnknownName_Null()
    {
        Assert.Null(ModelCatalog.Find("my-company/secret-model"));
    }

    [Fact]
    public void KvBytesPerToken_Llama31_8B_Is128KiB()
    {
        // 2 (K and V) × 32 layers × 8 KV heads × 128 dims × 2 bytes.
        Assert.Equal(131_072, ModelCatalog.Llama31_8B.KvBytesPerToken);
    }
}
