using System.Buffers;
using System.Text;

namespace AIBrix.EngineMetrics;

/// <summary>
/// Parses the Prometheus text exposition format 0.0.4 into a <see cref="MetricFamilySet"/>. A malformed line
/// is skipped and recorded in <see cref="MetricFamilySet.Errors"/>; it never fails the whole scrape. A second
/// sample of a series already seen (same name, same label set in any order, same or no timestamp) is a duplicate:
/// it is skipped, never summed with the first, and recorded in <see cref="MetricFamilySet.DuplicateSeries"/> (as
/// Prometheus keeps the first and counts the rest in <c>prometheus_target_scrapes_sample_duplicate_timestamp_total</c>);
/// the scrapers fail such a page (<see cref="MetricFamilySet.DuplicateSeriesError"/>).
/// An instance caches the names and label values it has seen (they repeat on every scrape), so keep one per
/// scrape worker. Not thread-safe.
/// </summary>
public sealed class PrometheusTextParser
{
    /// <summary>Distinct strings a parser keeps; a pod exposes a few hundred, a fleet of engines some thousands.</summary>
    public const int DefaultInternCapacity = 16_384;

    private readonly StringInternPool _strings;

    /// <summary>Creates a parser with its own string cache.</summary>
    public PrometheusTextParser(int internCapacity = DefaultInternCapacity) => _strings = new StringInternPool(internCapacity);

    /// <summary>Parses <paramref name="text"/> into a new set (convenient; the scraper reuses sets instead).</summary>
    public static MetricFamilySet ParseText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var set = new MetricFamilySet();
        new PrometheusTextParser().Parse(text, set);
        return set;
    }

    /// <summary>Parses UTF-8 <paramref name="utf8"/> into <paramref name="into"/>, replacing what it held.</summary>
    public void ParseUtf8(ReadOnlySpan<byte> utf8, MetricFamilySet into)
    {
        char[] buffer = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(utf8.Length));
        try
        {
            int length = Encoding.UTF8.GetChars(utf8, buffer);
            Parse(buffer.AsSpan(0, length), into);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>Parses <paramref name="text"/> into <paramref name="into"/>, replacing what it held.</summary>
    public void Parse(ReadOnlySpan<char> text, MetricFamilySet into)
    {
        ArgumentNullException.ThrowIfNull(into);
        into.BeginParse();
        if (!text.IsEmpty && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        MetricFamily? current = null;
        int lineNumber = 0;
        while (!text.IsEmpty)
        {
            int newline = text.IndexOf('\n');
            var line = newline < 0 ? text : text[..newline];
            text = newline < 0 ? [] : text[(newline + 1)..];
            lineNumber++;

            line = line.TrimEnd("\r\t ").TrimStart("\t ");
            if (line.IsEmpty)
            {
                continue;
            }

            string? error = line[0] == '#'
                ? ParseComment(line[1..], into, ref current)
                : ParseSample(line, lineNumber, into, ref current);
            if (error is not null)
            {
                into.AddError(lineNumber, error);
            }
        }
    }

    private string? ParseComment(ReadOnlySpan<char> rest, MetricFamilySet set, ref MetricFamily? current)
    {
        rest = rest.TrimStart("\t ");
        bool isHelp = rest.StartsWith("HELP ", StringComparison.Ordinal) || rest.StartsWith("HELP\t", StringComparison.Ordinal);
        bool isType = rest.StartsWith("TYPE ", StringComparison.Ordinal) || rest.StartsWith("TYPE\t", StringComparison.Ordinal);
        if (!isHelp && !isType)
        {
            return null; // any other comment is allowed and ignored
        }

        rest = rest[5..].TrimStart("\t ");
        int nameLength = MetricNameLength(rest);
        if (nameLength == 0 || (nameLength < rest.Length && rest[nameLength] is not (' ' or '\t')))
        {
            return isHelp ? "HELP without a valid metric name" : "TYPE without a valid metric name";
        }

        var family = set.GetOrAdd(_strings.Intern(rest[..nameLength]));
        current = family;
        var tail = rest[nameLength..].TrimStart("\t ");
        if (isHelp)
        {
            family.Help = tail.Contains('\\') ? Unescape(tail, inLabelValue: false) : _strings.Intern(tail);
            return null;
        }

        if (family.TypeDeclared)
        {
            return $"second TYPE line for '{family.Name}'";
        }

        family.TypeDeclared = true;
        family.Type = tail switch
        {
            "counter" => MetricType.Counter,
            "gauge" => MetricType.Gauge,
            "histogram" => MetricType.Histogram,
            "summary" => MetricType.Summary,
            _ => MetricType.Untyped,
        };
        if (family.Type == MetricType.Untyped && !tail.SequenceEqual("untyped"))
        {
            return $"unknown metric type '{tail}' for '{family.Name}' (read as untyped)";
        }

        return family.Samples.Length > 0 ? $"TYPE for '{family.Name}' after its samples" : null;
    }

    private string? ParseSample(ReadOnlySpan<char> line, int lineNumber, MetricFamilySet set, ref MetricFamily? current)
    {
        int nameLength = MetricNameLength(line);
        if (nameLength == 0)
        {
            return "line does not start with a metric name";
        }

        var family = Resolve(line[..nameLength], set, ref current);
        var nameSpan = line[..nameLength];
        string sampleName = family.Name.AsSpan().SequenceEqual(nameSpan) ? family.Name
            : family.PreviousSampleName is { } previous && previous.AsSpan().SequenceEqual(nameSpan) ? previous
            : _strings.Intern(nameSpan);
        int labelStart = family.LabelCount;
        var rest = line[nameLength..].TrimStart("\t ");
        if (!rest.IsEmpty && rest[0] == '{')
        {
            string? labelError = ParseLabels(ref rest, family);
            if (labelError is not null)
            {
                family.TruncateLabels(labelStart);
                return labelError;
            }

            rest = rest.TrimStart("\t ");
        }
        else if (nameLength < line.Length && line[nameLength] is not (' ' or '\t'))
        {
            return $"invalid character '{line[nameLength]}' after metric name";
        }

        int valueEnd = rest.IndexOfAny(' ', '\t');
        var valueText = valueEnd < 0 ? rest : rest[..valueEnd];
        if (!PrometheusNumber.TryParseValue(valueText, out double value))
        {
            family.TruncateLabels(labelStart);
            return valueText.IsEmpty ? "sample without a value" : $"invalid sample value '{valueText}'";
        }

        long? timestamp = null;
        var tail = valueEnd < 0 ? [] : rest[valueEnd..].TrimStart("\t ");
        if (!tail.IsEmpty)
        {
            if (!PrometheusNumber.TryParseTimestamp(tail, out long ms))
            {
                family.TruncateLabels(labelStart);
                return $"invalid timestamp '{tail}'";
            }

            timestamp = ms;
        }

        var sample = new PrometheusSample(sampleName, value, timestamp, labelStart, family.LabelCount - labelStart);
        if (set.TrackSeries(family, sample, lineNumber) is { } firstLine)
        {
            family.TruncateLabels(labelStart);
            return set.AddDuplicate(family, sample, firstLine, lineNumber);
        }

        family.AddSample(sample);
        set.CountSample();
        return null;
    }

    /// <summary>The family a sample belongs to: the last declared one when the name fits it, else by name.</summary>
    private MetricFamily Resolve(ReadOnlySpan<char> sampleName, MetricFamilySet set, ref MetricFamily? current)
    {
        if (current is not null && BelongsTo(sampleName, current))
        {
            return current;
        }

        if (set.TryGetCurrent(sampleName, out var exact))
        {
            current = exact;
            return exact;
        }

        var baseName = MetricFamilySet.StripSuffix(sampleName);
        if (!baseName.IsEmpty && set.TryGetCurrent(baseName, out var typed) && BelongsTo(sampleName, typed))
        {
            current = typed;
            return typed;
        }

        current = set.GetOrAdd(_strings.Intern(sampleName));
        return current;
    }

    private static bool BelongsTo(ReadOnlySpan<char> sampleName, MetricFamily family)
    {
        var name = family.Name.AsSpan();
        if (!sampleName.StartsWith(name, StringComparison.Ordinal))
        {
            return false;
        }

        var suffix = sampleName[name.Length..];
        return suffix.IsEmpty || family.Type switch
        {
            MetricType.Counter => suffix is "_total" or "_created",
            MetricType.Histogram => suffix is "_bucket" or "_sum" or "_count" or "_created",
            MetricType.Summary => suffix is "_sum" or "_count" or "_created",
            _ => false,
        };
    }

    private string? ParseLabels(ref ReadOnlySpan<char> rest, MetricFamily family)
    {
        int i = 1; // past '{'
        for (int index = 0; ; index++)
        {
            i = SkipBlanks(rest, i);
            if (i >= rest.Length)
            {
                return "unterminated label set";
            }

            if (rest[i] == '}')
            {
                rest = rest[(i + 1)..];
                return null;
            }

            int nameLength = LabelNameLength(rest[i..]);
            if (nameLength == 0)
            {
                return $"invalid label name at column {i + 1}";
            }

            bool hasPrevious = family.TryGetPreviousLabel(index, out var previous);
            var nameSpan = rest.Slice(i, nameLength);
            string name = hasPrevious && previous.Name.AsSpan().SequenceEqual(nameSpan) ? previous.Name : _strings.Intern(nameSpan);
            i = SkipBlanks(rest, i + nameLength);
            if (i >= rest.Length || rest[i] != '=')
            {
                return $"expected '=' after label '{name}'";
            }

            i = SkipBlanks(rest, i + 1);
            if (i >= rest.Length || rest[i] != '"')
            {
                return $"expected '\"' to open the value of label '{name}'";
            }

            int start = ++i;
            bool escaped = false;
            while (true)
            {
                int stop = rest[i..].IndexOfAny('"', '\\'); // vectorised; values are often long model names
                if (stop < 0)
                {
                    i = rest.Length;
                    break;
                }

                i += stop;
                if (rest[i] == '"')
                {
                    break;
                }

                escaped = true;
                i += 2; // skip the escaped character, which may be a quote
                if (i >= rest.Length)
                {
                    break;
                }
            }

            if (i >= rest.Length)
            {
                return $"unterminated value of label '{name}'";
            }

            var raw = rest[start..i];
            string value = escaped ? Unescape(raw, inLabelValue: true)
                : hasPrevious && previous.Value.AsSpan().SequenceEqual(raw) ? previous.Value
                : _strings.Intern(raw);
            family.AddLabel(name, value);
            i = SkipBlanks(rest, i + 1);
            if (i < rest.Length && rest[i] == ',')
            {
                i++;
            }
            else if (i >= rest.Length || rest[i] != '}')
            {
                return $"expected ',' or '}}' after the value of label '{name}'";
            }
        }
    }

    /// <summary>Resolves <c>\\</c>, <c>\n</c> and (in label values) <c>\"</c>; an unknown escape is kept as written.</summary>
    private string Unescape(ReadOnlySpan<char> raw, bool inLabelValue)
    {
        char[]? rented = null;
        Span<char> buffer = raw.Length <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(raw.Length));
        int n = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            char c = raw[i];
            if (c == '\\' && i + 1 < raw.Length)
            {
                char next = raw[i + 1];
                char? resolved = next switch
                {
                    '\\' => '\\',
                    'n' => '\n',
                    '"' when inLabelValue => '"',
                    _ => null,
                };
                if (resolved is { } r)
                {
                    buffer[n++] = r;
                    i++;
                    continue;
                }
            }

            buffer[n++] = c;
        }

        string result = _strings.Intern(buffer[..n]);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }

        return result;
    }

    private static int SkipBlanks(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t')
        {
            i++;
        }

        return i;
    }

    private static int MetricNameLength(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty || !(char.IsAsciiLetter(s[0]) || s[0] is '_' or ':'))
        {
            return 0;
        }

        int i = 1;
        while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] is '_' or ':'))
        {
            i++;
        }

        return i;
    }

    private static int LabelNameLength(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty || !(char.IsAsciiLetter(s[0]) || s[0] == '_'))
        {
            return 0;
        }

        int i = 1;
        while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] == '_'))
        {
            i++;
        }

        return i;
    }
}
