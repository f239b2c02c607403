namespace AIBrix.GpuOptimizer.Tests.Profiles;

public class GpuProfileJsonTests
{
    // The shape AIBrix's gen_profile.py writes: tputs[out][in], indexes [[out...], [in...]], created as a float.
    private const string AibrixProfile = """
        {"gpu": "llama2-7b-a10", "cost": 1.01,
         "tputs": [[12.5, 6.1, 2.0], [6.0, 3.2, 0.0]],
         "indexes": [[64, 256], [128, 512, 2048]],
         "created": 1748888478.25,
         "e2e": [[0.4, 0.9, 2.1], [1.8, 2.6, 5.3]],
         "slos": {"percentile": 99, "e2e": 5.0}}
        """;

    private static GpuProfile ParseOne(string json)
    {
        var result = GpuProfileJson.Parse(json);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return Assert.Single(result.Profiles);
    }

    private static string SingleError(string json, string source = "profile")
    {
        var result = GpuProfileJson.Parse(json, source);
        Assert.Empty(result.Profiles);
        return Assert.Single(result.Errors);
    }

    [Fact]
    public void Parse_AibrixProfile_ReadsEveryField()
    {
        var profile = ParseOne(AibrixProfile);

        Assert.Equal("llama2-7b-a10", profile.Gpu);
        Assert.Equal(1.01, profile.Cost);
        Assert.Equal([64.0, 256.0], profile.Grid.OutputTokens);
        Assert.Equal([128.0, 512.0, 2048.0], profile.Grid.InputTokens);
        Assert.Equal(3.2, profile.Tputs[1, 1]);   // out 256, in 512
        Assert.Equal(0.0, profile.Tputs[1, 2]);
        Assert.Equal(2.6, profile.E2e![1, 1]);
        Assert.Null(profile.Ttft);
        Assert.Equal(1748888478.25, profile.Created);
        Assert.Equal(new ProfileSlos { Percentile = 99, E2e = 5.0 }, profile.Slos);
    }

    [Fact]
    public void Serialize_ThenParse_RoundTrips()
    {
        var profile = ParseOne(AibrixProfile) with { Ttft = BucketMatrix.Create(2, 3, (r, c) => 0.1 * (r + c)), Slos = new ProfileSlos { Percentile = 90, Ttft = 0.5, Tpot = 0.05 } };

        string json = GpuProfileJson.Serialize(profile);
        var back = ParseOne(json);

        Assert.Equal(json, GpuProfileJson.Serialize(back));
        Assert.Equal(profile.Tputs.ToRows(), back.Tputs.ToRows());
        Assert.Equal(profile.Ttft.ToRows(), back.Ttft!.ToRows());
        Assert.Equal(profile.Slos, back.Slos);
        Assert.True(profile.Grid.Equals(back.Grid));
    }

    [Fact]
    public void Serialize_UsesAibrixKeysAndOmitsUnsetOnes()
    {
        string json = GpuProfileJson.Serialize(ParseOne(AibrixProfile));

        Assert.StartsWith("""{"gpu":"llama2-7b-a10","cost":1.01,"tputs":[[12.5,6.1,2],[6,3.2,0]],"indexes":[[64,256],[128,512,2048]],""", json, StringComparison.Ordinal);
        Assert.Contains("\"slos\":{\"percentile\":99,\"e2e\":5}", json, StringComparison.Ordinal);
        Assert.DoesNotContain("ttft", json, StringComparison.Ordinal);
        Assert.DoesNotContain("tpot", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ArrayAndJsonLines_ReadEveryProfile()
    {
        string second = AibrixProfile.Replace("llama2-7b-a10", "llama2-7b-l20", StringComparison.Ordinal).ReplaceLineEndings(" ");
        string first = AibrixProfile.ReplaceLineEndings(" ");

        var array = GpuProfileJson.Parse($"[{first}, {second}]");
        var lines = GpuProfileJson.Parse($"{first}\n\n{second}\n");

        Assert.Equal(["llama2-7b-a10", "llama2-7b-l20"], array.Profiles.Select(p => p.Gpu));
        Assert.Equal(["llama2-7b-a10", "llama2-7b-l20"], lines.Profiles.Select(p => p.Gpu));
    }

    [Fact]
    public void Parse_UnknownFields_Ignored()
    {
        var profile = ParseOne(AibrixProfile.Replace("\"cost\"", "\"tpat_matrix\": [[1]], \"cost\"", StringComparison.Ordinal));

        Assert.Equal(1.01, profile.Cost);
    }

    [Fact]
    public void Parse_MissingFields_NamesEach()
    {
        var result = GpuProfileJson.Parse("""{"gpu": "a10"}""", "a10.json");

        Assert.Equal(
            ["a10.json (a10): cost is missing", "a10.json (a10): indexes is missing ([[output lengths], [input lengths]])",
             "a10.json (a10): tputs is missing (tputs[out][in], requests per second)"],
            result.Errors);
    }

    [Theory]
    [InlineData("\"tputs\": [[12.5, 6.1, 2.0], [6.0, 3.2, 0.0]]", "\"tputs\": [[12.5, 6.1, 2.0]]", "tputs is 1 x 3 but indexes give 2 output x 3 input buckets")]
    [InlineData("\"tputs\": [[12.5, 6.1, 2.0], [6.0, 3.2, 0.0]]", "\"tputs\": [[12.5, 6.1, 2.0], [6.0, 3.2]]", "tputs: row 1 has 2 values, row 0 has 3")]
    [InlineData("\"tputs\": [[12.5, 6.1, 2.0], [6.0, 3.2, 0.0]]", "\"tputs\": [[12.5, 6.1, 2.0], [6.0, -3.2, 0.0]]", "tputs[1][1] (in 512, out 256) = -3.2: must be a number >= 0")]
    [InlineData("\"indexes\": [[64, 256], [128, 512, 2048]]", "\"indexes\": [[64, 256], [128, 2048, 512]]", "indexes[1] (input lengths) must be strictly ascending (2048 then 512)")]
    [InlineData("\"indexes\": [[64, 256], [128, 512, 2048]]", "\"indexes\": [[0, 256], [128, 512, 2048]]", "indexes[0] (output lengths)[0] = 0: lengths must be positive numbers")]
    [InlineData("\"indexes\": [[64, 256], [128, 512, 2048]]", "\"indexes\": [[128, 512, 2048]]", "indexes has 1 lists, expected 2")]
    [InlineData("\"cost\": 1.01", "\"cost\": 0", "cost = 0: must be a positive number")]
    [InlineData("\"gpu\": \"llama2-7b-a10\"", "\"gpu\": \"\"", "gpu (the deployment name) is missing or empty")]
    [InlineData("\"percentile\": 99", "\"percentile\": 101", "slos.percentile = 101")]
    [InlineData("\"e2e\": 5.0", "\"e2e\": -1", "slos.e2e = -1: a target must be a positive number")]
    public void Parse_InvalidProfile_ClearError(string replace, string with, string expected)
    {
        string error = SingleError(AibrixProfile.Replace(replace, with, StringComparison.Ordinal));

        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BrokenJson_SaysWhereInTheSource()
    {
        string error = SingleError("{\"gpu\": \"a10\",\n \"cost\": }", "a10.json");

        Assert.StartsWith("a10.json: ", error, StringComparison.Ordinal);
        Assert.Contains("LineNumber: 1", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_JsonLinesWithABadLine_NamesTheLine()
    {
        string first = AibrixProfile.ReplaceLineEndings(" ");
        string bad = first.Replace("\"cost\": 1.01", "\"cost\": -1", StringComparison.Ordinal).Replace("llama2-7b-a10", "l20", StringComparison.Ordinal);

        string error = SingleError($"{first}\n{bad}", "p.jsonl");

        Assert.StartsWith("p.jsonl line 2 (l20): cost = -1", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SameDeploymentTwice_Refused()
    {
        string one = AibrixProfile.ReplaceLineEndings(" ");

        Assert.Contains("'llama2-7b-a10' has 2 profiles", SingleError($"[{one}, {one}]"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("null")]
    public void Parse_Nothing_Error(string text)
    {
        Assert.NotEmpty(GpuProfileJson.Parse(text).Errors);
    }

    [Fact]
    public async Task ReadFileAsync_File_ReadsIt()
    {
        string path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, AibrixProfile);

            var result = await GpuProfileJson.ReadFileAsync(path);

            Assert.Equal("llama2-7b-a10", Assert.Single(result.Profiles).Gpu);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ReadFileAsync_MissingFile_ErrorValue()
    {
        var result = await GpuProfileJson.ReadFileAsync("/nonexistent/profile.json");

        Assert.False(result.Succeeded);
        Assert.StartsWith("/nonexistent/profile.json: ", Assert.Single(result.Errors), StringComparison.Ordinal);
    }
}
