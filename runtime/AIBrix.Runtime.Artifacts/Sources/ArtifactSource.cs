using System.Text.RegularExpressions;

namespace AIBrix.Runtime.Artifacts.Sources;

/// <summary>Where an artifact comes from, parsed from a <see cref="DownloadRequest.Source"/> URI.</summary>
internal abstract record ArtifactSource
{
    /// <summary>The metric and log tag of the source kind: <c>huggingface</c>, <c>s3</c> or <c>local</c>.</summary>
    public abstract string Kind { get; }
}

/// <summary>A Hugging Face Hub model repository (<c>org/name</c>, or a legacy single-segment name).</summary>
internal sealed record HuggingFaceSource(string Repo) : ArtifactSource
{
    public override string Kind => "huggingface";
}

/// <summary>Every object under <paramref name="Prefix"/> in <paramref name="Bucket"/> (the whole bucket when empty).</summary>
internal sealed record S3Source(string Bucket, string Prefix) : ArtifactSource
{
    public override string Kind => "s3";
}

/// <summary>A folder (or one file) on this machine.</summary>
internal sealed record LocalSource(string Path) : ArtifactSource
{
    public override string Kind => "local";
}

/// <summary>
/// Parses artifact URIs. Accepted: <c>hf://org/name</c>, <c>huggingface://org/name</c>, <c>s3://bucket/prefix</c>,
/// <c>file:///abs/path</c>, an absolute or <c>./</c>-relative path, and a bare <c>org/name</c>: the bare form is a
/// local path when such a path exists, else a Hugging Face repository id (as vLLM and AIBrix read a model name).
/// The one reader of these URIs: the downloader parses with it, and the runtime checks a request's URI with
/// <see cref="KindOf"/> before starting a download, so both refuse the same URIs with the same message.
/// </summary>
public static partial class ArtifactSourceParser
{
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,95}(/[A-Za-z0-9][A-Za-z0-9_.\-]{0,95})?$")]
    private static partial Regex RepoId();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();

    /// <summary>
    /// The source kind of <paramref name="source"/> (<c>huggingface</c>, <c>s3</c> or <c>local</c>, the metric tags).
    /// </summary>
    /// <exception cref="ArtifactException">Of kind <see cref="ArtifactErrorKind.BadSource"/>, saying why, when the URI is not one this library can fetch.</exception>
    public static string KindOf(string? source) => Parse(source).Kind;

    internal static ArtifactSource Parse(string? source)
    {
        if (string.IsNullOrWhiteSpace(source))
        {
            throw Bad(source, "the source is empty");
        }

        string s = source.Trim();
        if (TryStripScheme(s, "hf://", out string rest) || TryStripScheme(s, "huggingface://", out rest))
        {
            return ParseRepo(source, rest.Trim('/'));
        }

        if (TryStripScheme(s, "s3://", out rest))
        {
            int slash = rest.IndexOf('/', StringComparison.Ordinal);
            string bucket = slash < 0 ? rest : rest[..slash];
            string prefix = slash < 0 ? "" : rest[(slash + 1)..].Trim('/');
            if (!BucketName().IsMatch(bucket))
            {
                throw Bad(source, $"'{bucket}' is not a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)");
            }

            if (HasParentSegment(prefix))
            {
                throw Bad(source, "the S3 prefix may not contain '..' segments");
            }

            return new S3Source(bucket, prefix);
        }

        if (TryStripScheme(s, "file://", out rest))
        {
            if (!rest.StartsWith('/'))
            {
                throw Bad(source, "a file:// URI needs an absolute path (file:///models/x)");
            }

            return new LocalSource(Uri.UnescapeDataString(rest));
        }

        int schemeEnd = s.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd > 0)
        {
            throw Bad(source, $"the scheme '{s[..schemeEnd]}' is not supported (use hf://, huggingface://, s3://, file:// or a local path)");
        }

        if (Path.IsPathRooted(s) || s.StartsWith("./", StringComparison.Ordinal) || s.StartsWith("../", StringComparison.Ordinal)
            || File.Exists(s) || Directory.Exists(s))
        {
            return new LocalSource(Path.GetFullPath(s));
        }

        if (s.Contains('/', StringComparison.Ordinal))
        {
            return ParseRepo(source, s);
        }

        throw Bad(source, "not a local path, and a bare name must be a Hugging Face id 'org/name' (or use hf://name)");
    }

    private static HuggingFaceSource ParseRepo(string source, string repo)
    {
        if (!RepoId().IsMatch(repo) || repo.Contains("..", StringComparison.Ordinal) || repo.Contains("--", StringComparison.Ordinal))
        {
            throw Bad(source, $"'{repo}' is not a Hugging Face repository id (org/name of letters, digits, '-', '_', '.')");
        }

        return new HuggingFaceSource(repo);
    }

    private static bool TryStripScheme(string s, string scheme, out string rest)
    {
        if (s.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            rest = s[scheme.Length..];
            return true;
        }

        rest = "";
        return false;
    }

    internal static bool HasParentSegment(string path) =>
        path.Split('/', '\\').Any(segment => segment == "..");

    private static ArtifactException Bad(string? source, string why) =>
        new(ArtifactErrorKind.BadSource, $"bad artifact source '{source}': {why}");
}
