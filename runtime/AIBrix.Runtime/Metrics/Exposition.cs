using System.Globalization;
using System.Text;
using AIBrix.EngineMetrics;

namespace AIBrix.Runtime.Metrics;

/// <summary>Writes Prometheus text exposition (format 0.0.4): family headers, samples, escaped labels, numbers.</summary>
internal static class Exposition
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void Header(StringBuilder sb, string name, MetricType type, string help)
    {
        sb.Append("# HELP ").Append(name).Append(' ');
        foreach (char c in help)
        {
            _ = c switch
            {
                '\\' => sb.Append(@"\\"),
                '\n' => sb.Append(@"\n"),
                _ => sb.Append(c),
            };
        }

        sb.Append('\n').Append("# TYPE ").Append(name).Append(' ').Append(TypeName(type)).Append('\n');
    }

    public static void Sample(StringBuilder sb, string name, ReadOnlySpan<MetricLabel> labels, double value)
    {
        sb.Append(name);
        if (!labels.IsEmpty)
        {
            sb.Append('{');
            for (int i = 0; i < labels.Length; i++)
            {
                if (i > 0)
                {
                    sb.Append(',');
                }

                sb.Append(labels[i].Name).Append("=\"");
                AppendEscaped(sb, labels[i].Value);
                sb.Append('"');
            }

            sb.Append('}');
        }

        sb.Append(' ').Append(Number(value)).Append('\n');
    }

    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static void AppendEscaped(StringBuilder sb, string value)
    {
        foreach (char c in value)
        {
            _ = c switch
            {
                '\\' => sb.Append(@"\\"),
                '"' => sb.Append("\\\""),
                '\n' => sb.Append(@"\n"),
                _ => sb.Append(c),
            };
        }
    }

    private static string TypeName(MetricType type) => type switch
    {
        MetricType.Counter => "counter",
        MetricType.Gauge => "gauge",
        MetricType.Histogram => "histogram",
        MetricType.Summary => "summary",
        _ => "untyped",
    };
}
