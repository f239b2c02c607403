namespace AIBrix.GpuOptimizer.Tests.Profiles;

public class GpuProfileKeysTests
{
    [Fact]
    public void For_ModelAndDeployment_AibrixKey()
    {
        Assert.Equal("aibrix:profile_llama2-7b_llama2-7b-a10", GpuProfileKeys.For("llama2-7b", "llama2-7b-a10"));
    }

    [Fact]
    public void TryGetDeployment_KeyOfTheModel_ReturnsTheDeployment()
    {
        Assert.True(GpuProfileKeys.TryGetDeployment("aibrix:profile_llama2-7b_llama2-7b-a10", "llama2-7b", out string deployment));
        Assert.Equal("llama2-7b-a10", deployment);
        Assert.False(GpuProfileKeys.TryGetDeployment("aibrix:profile_qwen_x", "llama2-7b", out _));
        Assert.False(GpuProfileKeys.TryGetDeployment("aibrix:profile_llama2-7b_", "llama2-7b", out _));
    }

    [Fact]
    public void PatternFor_GlobCharactersInModel_Escaped()
    {
        Assert.Equal("aibrix:profile_llama2-7b_*", GpuProfileKeys.PatternFor("llama2-7b"));
        Assert.Equal(@"aibrix:profile_m\*\[1\]_*", GpuProfileKeys.PatternFor("m*[1]"));
    }
}
