using AIBrix.Controllers.Tests.Charts.Rendering;

namespace AIBrix.Controllers.Tests.Charts;

/// <summary>The repository's chart and files, found from the test assembly up to the directory holding AIBrix.sln.</summary>
internal static class ChartFixture
{
    public static readonly string Root = FindRoot();

    public static readonly string ChartDir = Path.Combine(Root, "charts", "aibrix");

    public static HelmChart Chart { get; } = HelmChart.Load(ChartDir);

    /// <summary>Renders the chart as release "aibrix" in "aibrix-system" with <paramref name="values"/> over values.yaml.</summary>
    public static RenderedChart Render(string? values = null, string release = "aibrix", string ns = "aibrix-system") =>
        Chart.Render(new ReleaseOptions { Name = release, Namespace = ns, Values = values is null ? [] : [values] });

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AIBrix.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AIBrix.sln not found above " + AppContext.BaseDirectory);
    }
}
