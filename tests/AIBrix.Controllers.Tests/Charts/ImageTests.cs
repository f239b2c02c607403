using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using AIBrix.Controllers.Hosting;
using AIBrix.Controllers.Tests.Charts.Rendering;
using AIBrix.EngineSim;
using AIBrix.Gateway.Core;

namespace AIBrix.Controllers.Tests.Charts;

/// <summary>
/// No image can be built here (no container engine), so the files are held to what building and running them needs:
/// <c>make images</c> names the images the chart deploys; the one root Dockerfile publishes the app it is given from
/// the repository-root context .dockerignore leaves, runs it as a non-root user on a read-only root file system, and
/// each app's stage exposes the ports the code listens on and health-checks a route the app serves.
/// </summary>
public sealed partial class ImageTests
{
    /// <summary>Image name, project folder, the ports it listens on by default, and its health route.</summary>
    public static TheoryData<string, string, int[], string> Apps() => new()
    {
        { "aibrix-gateway", "extproc/AIBrix.Gateway", [GatewayDefaults.GrpcPort, GatewayDefaults.HttpPort, GatewayDefaults.StandalonePort], "/healthz" },
        { "aibrix-controllers", "controllers/AIBrix.Controllers", [new ControllerCommandLine().MetricsPort], "/healthz" },
        { "aibrix-enginesim", "tests/AIBrix.EngineSim", [new SimulatorOptions().Port], "/health" },
        { "aibrix-runtime", "runtime/AIBrix.Runtime", [8080], "/healthz" }, // RuntimeOptions.Port's default, AIBrix's runtime port
    };

    [Fact]
    public void MakeImages_DryRun_BuildsExactlyTheImagesTheChartDeploys()
    {
        var (code, output, _) = Run("make", "-s images DRY_RUN=1");

        Assert.Equal(0, code);
        var built = BuildCommand().Matches(output).ToDictionary(m => m.Groups["name"].Value, m => (Dir: m.Groups["dir"].Value, Ref: m.Groups["ref"].Value));
        Assert.Equal(Apps().Select(a => (string)a[0]).Order(StringComparer.Ordinal), built.Keys.Order(StringComparer.Ordinal));
        Assert.All(Apps(), a => Assert.Equal((string)a[1], built[(string)a[0]].Dir));
        Assert.All(BuildCommand().Matches(output), m => Assert.Equal(m.Groups["name"].Value, m.Groups["target"].Value));

        var chart = ChartFixture.Render();
        Assert.Equal(built["aibrix-gateway"].Ref, ChartRenderTests.Container(chart, GatewayDefaults.ServiceName).Text("image"));
        Assert.Equal(built["aibrix-controllers"].Ref, ChartRenderTests.Container(chart, "aibrix-controllers").Text("image"));
        Assert.EndsWith(":" + ChartFixture.Chart.AppVersion, built["aibrix-enginesim"].Ref, StringComparison.Ordinal);
        Assert.EndsWith(":" + ChartFixture.Chart.AppVersion, built["aibrix-runtime"].Ref, StringComparison.Ordinal);
    }

    [Fact]
    public void MakeImages_RegistryAndTag_ReachEveryImage()
    {
        var (code, output, _) = Run("make", "-s images DRY_RUN=1 REGISTRY=registry.example.com/ml/ TAG=1.2.3 PUSH=1");

        Assert.Equal(0, code);
        var refs = BuildCommand().Matches(output).Select(m => m.Groups["ref"].Value).ToList();
        Assert.Equal(4, refs.Count);
        Assert.All(refs, r => Assert.Matches(@"^registry\.example\.com/ml/aibrix-[a-z]+:1\.2\.3$", r));
        Assert.Equal(4, Regex.Count(output, @"^docker push registry\.example\.com/ml/aibrix-[a-z]+:1\.2\.3$", RegexOptions.Multiline));
    }

    [Fact]
    public void MakeImages_WithoutAContainerEngine_FailsSayingWhatToDo()
    {
        var (code, _, error) = Run("make", "-s images DOCKER=/nonexistent/docker");

        Assert.NotEqual(0, code);
        Assert.Contains("'/nonexistent/docker' not found", error, StringComparison.Ordinal);
        Assert.Contains("DRY_RUN=1", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Dockerfile_SharedStages_PublishTheGivenProjectAndRunNonRootReadOnlyFriendly()
    {
        var stages = Stages();

        Assert.Equal("mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}", stages["build"].From);
        Assert.Contains("dotnet publish \"$PROJECT\"", stages["build"].Text, StringComparison.Ordinal);
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}", stages["app"].From);
        Assert.Matches(@"(?m)^USER \$APP_UID$", stages["app"].Text); // numeric: runAsNonRoot can verify it
        Assert.Matches(@"(?m)^ENV HOME=/tmp", stages["app"].Text);
        Assert.Contains("for p in $HEALTH_PORTS;", stages["app"].Text, StringComparison.Ordinal);
        Assert.Contains("'GET %s HTTP/1.0\\\\r\\\\n\\\\r\\\\n' \\\"$HEALTH_PATH\\\"", stages["app"].Text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Apps))]
    public void Dockerfile_AppStage_RunsTheAppOnItsPortsAndChecksARouteItServes(string image, string dir, int[] ports, string health)
    {
        var stages = Stages();
        string assembly = AssemblyName(dir);

        Assert.True(stages.TryGetValue(image, out var stage), $"the Dockerfile has no stage {image}");
        Assert.Equal("app", stage.From);
        Assert.Equal(image, assembly);
        Assert.Contains($"ENTRYPOINT [\"/app/{assembly}\"]", stage.Text, StringComparison.Ordinal);
        Assert.Equal(ports.Order(), Regex.Match(stage.Text, @"(?m)^EXPOSE (.+)$").Groups[1].Value.Split(' ').Select(int.Parse).Order());
        Assert.Equal(health, Regex.Match(stage.Text, @"HEALTH_PATH=(\S+)").Groups[1].Value);
        var checkedPorts = Regex.Match(stage.Text, "HEALTH_PORTS=\"([0-9 ]+)\"").Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        Assert.NotEmpty(checkedPorts);
        Assert.All(checkedPorts, p => Assert.Contains(p, ports));
        Assert.True(ServesRoute(dir, health), $"{image} serves no {health}");
    }

    /// <summary>The root Dockerfile's stages by name: the image each starts from, and its lines.</summary>
    private static Dictionary<string, (string From, string Text)> Stages()
    {
        string dockerfile = File.ReadAllText(ChartFixture.PathOf("Dockerfile"));
        var froms = Regex.Matches(dockerfile, @"^FROM\s+(?:--platform=\S+\s+)?(?<image>\S+)\s+AS\s+(?<stage>[\w-]+)\s*$", RegexOptions.Multiline);
        Assert.Equal(Regex.Count(dockerfile, "(?m)^FROM "), froms.Count); // every stage is named
        return froms.Select((m, i) => (m, Text: dockerfile[m.Index..(i + 1 < froms.Count ? froms[i + 1].Index : dockerfile.Length)]))
            .ToDictionary(s => s.m.Groups["stage"].Value, s => (s.m.Groups["image"].Value, s.Text), StringComparer.Ordinal);
    }

    public static TheoryData<string, string> Projects()
    {
        var data = new TheoryData<string, string>();
        foreach (var app in Apps())
        {
            data.Add((string)app[0], (string)app[1]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void DockerIgnore_KeepsEveryProjectTheAppBuildsFrom(string image, string dir)
    {
        var ignore = File.ReadAllLines(ChartFixture.PathOf(".dockerignore")).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        var excluded = ProjectClosure(dir).Where(p => Ignored(ignore, p)).ToList();

        Assert.True(excluded.Count == 0, $"{image}: .dockerignore drops {string.Join(", ", excluded)}");
        Assert.True(ignore.Contains("**/bin/") && ignore.Contains("**/obj/"), "build outputs must stay out of the context");
        Assert.True(Ignored(ignore, "tests/AIBrix.Gateway.Tests") && Ignored(ignore, "docs"), "the context should hold sources only");
    }

    [Fact]
    public void ChartRunsAsTheImagesUser()
    {
        var pod = ChartFixture.Render().Get("Deployment", GatewayDefaults.ServiceName).Node.At("spec", "template", "spec");

        // APP_UID of the .NET 8+ runtime images: the chart's runAsUser must be the user that owns nothing in the image.
        Assert.Equal("1654", pod.Text("securityContext", "runAsUser"));
    }

    /// <summary>The project folders <paramref name="dir"/> builds from, itself included (ProjectReferences, transitively).</summary>
    private static HashSet<string> ProjectClosure(string dir)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([dir]);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current))
            {
                continue;
            }

            var project = Directory.EnumerateFiles(ChartFixture.PathOf(current), "*.csproj").Single();
            foreach (var reference in XDocument.Load(project).Descendants("ProjectReference").Select(r => r.Attribute("Include")!.Value))
            {
                string full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, reference));
                pending.Push(Path.GetRelativePath(ChartFixture.Root, Path.GetDirectoryName(full)!).Replace('\\', '/'));
            }
        }

        return seen;
    }

    /// <summary>Docker's rules for the patterns used here: "dir/", "dir/*" with "!dir/keep/" exceptions, "**/name/".</summary>
    private static bool Ignored(List<string> patterns, string path)
    {
        bool ignored = false;
        foreach (var raw in patterns)
        {
            bool negate = raw.StartsWith('!');
            string pattern = raw.TrimStart('!').TrimEnd('/');
            bool match = pattern.StartsWith("**/", StringComparison.Ordinal)
                ? path.Split('/').Contains(pattern[3..])
                : pattern.EndsWith("/*", StringComparison.Ordinal)
                    ? path.StartsWith(pattern[..^1], StringComparison.Ordinal)
                    : path == pattern || path.StartsWith(pattern + "/", StringComparison.Ordinal);
            if (match)
            {
                ignored = !negate;
            }
        }

        return ignored;
    }

    private static string AssemblyName(string dir) =>
        XDocument.Load(Directory.EnumerateFiles(ChartFixture.PathOf(dir), "*.csproj").Single()).Descendants("AssemblyName").Single().Value;

    private static bool ServesRoute(string dir, string route) =>
        Directory.EnumerateFiles(ChartFixture.PathOf(dir), "*.cs", SearchOption.AllDirectories)
            .Any(f => File.ReadAllText(f).Contains($"MapGet(\"{route}\"", StringComparison.Ordinal));

    private static (int Code, string Output, string Error) Run(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = ChartFixture.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }

    [GeneratedRegex(@"^docker build -f Dockerfile --build-arg PROJECT=(?<dir>\S+) --target (?<target>\S+) -t (?<ref>\S+/(?<name>aibrix-[a-z]+):\S+) \.$", RegexOptions.Multiline)]
    private static partial Regex BuildCommand();
}
