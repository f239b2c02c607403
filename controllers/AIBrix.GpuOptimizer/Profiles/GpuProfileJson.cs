using System.Text.Json;

namespace AIBrix.GpuOptimizer;

/// <summary>
/// Reads and writes profiles as AIBrix's JSON: <c>{"gpu", "cost", "tputs", "indexes", "created", "e2e", "ttft", "slos"}</c>.
/// A source may hold one profile, an array of them, or one per line (JSON Lines), as AIBrix's file reader accepts.
/// Every profile is validated; errors say where (the source, the item or line, the deployment) and what.
/// </summary>
public static class GpuProfileJson
{
    /// <summary>The profile's JSON, compact unless <paramref name="indented"/>.</summary>
    public static string Serialize(GpuProfile profile, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var wire = new GpuProfileWire
        {
            Gpu = profile.Gpu,
            Cost = profile.Cost,
            Tputs = profile.Tputs.ToRows(),
            Indexes = [[.. profile.Grid.OutputTokens], [.. profile.Grid.InputTokens]],
            Created = profile.Created,
            E2e = profile.E2e?.ToRows(),
            Ttft = profile.Ttft?.ToRows(),
            Slos = profile.Slos,
        };
        var context = indented ? IndentedContext : GpuProfileJsonContext.Default;
        return JsonSerializer.Serialize(wire, context.GpuProfileWire);
    }

    /// <summary>Reads one profile, an array, or JSON Lines from <paramref name="text"/>.</summary>
    /// <param name="text">The JSON.</param>
    /// <param name="source">How errors name the source (a file path, a Redis key).</param>
    public static ProfileReadResult Parse(string text, string source = "profile")
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return ProfileReadResult.Failed($"{source}: empty, expected a profile object, an array of them, or one per line");
        }

        return trimmed[0] == '[' ? ParseArray(trimmed, source) : ParseObjects(trimmed, source);
    }

    /// <summary>Reads a profile file (see <see cref="Parse"/>); a missing or unreadable file is an error value, not an exception.</summary>
    public static async Task<ProfileReadResult> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return ProfileReadResult.Failed($"{path}: {ex.Message}");
        }

        return Parse(text, path);
    }

    /// <summary>Converts and validates one deserialized profile; null and errors when invalid.</summary>
    internal static GpuProfile? FromWire(GpuProfileWire? wire, string where, List<string> errors)
    {
        if (wire is null)
        {
            errors.Add($"{where}: null, expected a profile object");
            return null;
        }

        string name = string.IsNullOrWhiteSpace(wire.Gpu) ? where : $"{where} ({wire.Gpu})";
        var problems = new List<string>();
        if (wire.Gpu is null)
        {
            problems.Add("gpu is missing");
        }

        if (wire.Cost is null)
        {
            problems.Add("cost is missing");
        }

        BucketGrid? grid = null;
        if (wire.Indexes is null)
        {
            problems.Add("indexes is missing ([[output lengths], [input lengths]])");
        }
        else if (wire.Indexes.Length != 2 || wire.Indexes[0] is null || wire.Indexes[1] is null)
        {
            problems.Add($"indexes has {wire.Indexes.Length} lists, expected 2: [[output lengths], [input lengths]]");
        }
        else
        {
            grid = new BucketGrid(wire.Indexes[0], wire.Indexes[1]);
        }

        var tputs = Matrix(wire.Tputs, "tputs", required: true, problems);
        var e2e = Matrix(wire.E2e, "e2e", required: false, problems);
        var ttft = Matrix(wire.Ttft, "ttft", required: false, problems);
        if (problems.Count == 0)
        {
            var profile = new GpuProfile
            {
                Gpu = wire.Gpu!,
                Cost = wire.Cost!.Value,
                Grid = grid!,
                Tputs = tputs!,
                Created = wire.Created ?? 0,
                E2e = e2e,
                Ttft = ttft,
                Slos = wire.Slos,
            };
            problems.AddRange(profile.Validate());
            if (problems.Count == 0)
            {
                return profile;
            }
        }

        errors.AddRange(problems.Select(p => $"{name}: {p}"));
        return null;
    }

    private static readonly GpuProfileJsonContext IndentedContext = new(new JsonSerializerOptions(GpuProfileJsonContext.Default.Options) { WriteIndented = true });

    private static ProfileReadResult ParseArray(string text, string source)
    {
        GpuProfileWire?[]? items;
        try
        {
            items = JsonSerializer.Deserialize(text, GpuProfileJsonContext.Default.GpuProfileWireArray);
        }
        catch (JsonException ex)
        {
            return ProfileReadResult.Failed($"{source}: {ex.Message}");
        }

        var errors = new List<string>();
        var profiles = new List<GpuProfile>();
        for (int i = 0; i < (items?.Length ?? 0); i++)
        {
            if (FromWire(items![i], $"{source}[{i}]", errors) is { } profile)
            {
                profiles.Add(profile);
            }
        }

        return Finish(profiles, errors, source);
    }

    private static ProfileReadResult ParseObjects(string text, string source)
    {
        GpuProfileWire? single;
        try
        {
            single = JsonSerializer.Deserialize(text, GpuProfileJsonContext.Default.GpuProfileWire);
        }
        catch (JsonException whole)
        {
            return ParseLines(text, source, whole);
        }

        var errors = new List<string>();
        var profile = FromWire(single, source, errors);
        return Finish(profile is null ? [] : [profile], errors, source);
    }

    private static ProfileReadResult ParseLines(string text, string source, JsonException whole)
    {
        string[] lines = text.Split('\n');
        var errors = new List<string>();
        var profiles = new List<GpuProfile>();
        bool first = true;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            GpuProfileWire? wire;
            try
            {
                wire = JsonSerializer.Deserialize(line, GpuProfileJsonContext.Default.GpuProfileWire);
            }
            catch (JsonException ex)
            {
                // A first line that is not a whole object means the source was one (broken) document, not JSON Lines.
                return first ? ProfileReadResult.Failed($"{source}: {whole.Message}") : ProfileReadResult.Failed($"{source} line {i + 1}: {ex.Message}");
            }

            first = false;
            if (FromWire(wire, $"{source} line {i + 1}", errors) is { } profile)
            {
                profiles.Add(profile);
            }
        }

        return Finish(profiles, errors, source);
    }

    private static ProfileReadResult Finish(List<GpuProfile> profiles, List<string> errors, string source)
    {
        if (errors.Count == 0 && profiles.Count == 0)
        {
            errors.Add($"{source}: holds no profile");
        }

        if (errors.Count == 0)
        {
            foreach (var duplicate in profiles.GroupBy(p => p.Gpu, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                errors.Add($"{source}: deployment '{duplicate.Key}' has {duplicate.Count()} profiles; keep one");
            }
        }

        return errors.Count == 0 ? new ProfileReadResult(profiles, []) : new ProfileReadResult([], errors);
    }

    private static BucketMatrix? Matrix(double[][]? rows, string name, bool required, List<string> problems)
    {
        if (rows is null)
        {
            if (required)
            {
                problems.Add($"{name} is missing ({name}[out][in], requests per second)");
            }

            return null;
        }

        if (Array.IndexOf(rows, null) is int nullRow and >= 0)
        {
            problems.Add($"{name}[{nullRow}] is null");
            return null;
        }

        if (!BucketMatrix.TryFromRows(rows, out var matrix, out string? error))
        {
            problems.Add($"{name}: {error}");
            return null;
        }

        return matrix;
    }
}
