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
/// <c>make images</c> names the images the chart deploys; each Dockerfile publishes its app from the repository-root
/// context .dockerignore leaves, runs it as a non-root user on a read-only root file system, exposes the ports the
/// code listens on and health-checks a route the app serves.
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

    [Theory]
    [MemberData(nameof(Apps))]
    public void Dockerfile_MultiStageNonRootReadOnlyFriendly(string image, string dir, int[] ports, string health)
    {
        string dockerfile = File.ReadAllText(ChartFixture.PathOf(dir, "Dockerfile"));
        var froms = Regex.Matches(dockerfile, @"^FROM\s+(?:--platform=\S+\s+)?(?<image>\S+)(?:\s+AS\s+(?<stage>\w+))?", RegexOptions.Multiline);
        string assembly = AssemblyName(dir);

        Assert.Equal(2, froms.Count);
        Assert.Equal(("mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}", "build"), (froms[0].Groups["image"].Value, froms[0].Groups["stage"].Value));
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}", froms[1].Groups["image"].Value);
        Assert.Contains($"dotnet publish {dir}/", dockerfile, StringComparison.Ordinal);
        Assert.Equal(image, assembly);
        Assert.Contains($"ENTRYPOINT [\"/app/{assembly}\"]", dockerfile, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^USER \$APP_UID$", dockerfile); // numeric: runAsNonRoot can verify it
        Assert.Matches(@"(?m)^ENV HOME=/tmp", dockerfile);
        Assert.Equal(ports.Order(), Regex.Match(dockerfile, @"(?m)^EXPOSE (.+)$").Groups[1].Value.Split(' ').Select(int.Parse).Order());
        Assert.Contains($"GET {health} HTTP/1.0", dockerfile, StringComparison.Ordinal);
        var checkedPorts = Regex.Match(dockerfile, "for p in ([0-9 ]+);").Groups[1].Value.Split(' ').Select(int.Parse).ToList();
        Assert.NotEmpty(checkedPorts);
        Assert.All(checkedPorts, p => Assert.Contains(p, ports));
        Assert.True(ServesRoute(dir, health), $"{image} serves no {health}");
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

    [GeneratedRegex(@"^docker build -f (?<dir>\S+)/Dockerfile -t (?<ref>\S+/(?<name>aibrix-[a-z]+):\S+) \.$", RegexOptions.Multiline)]
    private static partial Regex BuildCommand();
}
