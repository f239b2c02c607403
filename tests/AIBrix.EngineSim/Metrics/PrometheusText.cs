using System.Globalization;
using System.Text;

namespace AIBrix.EngineSim.Metrics;

/// <summary>Prometheus text format 0.0.4 as Python's prometheus_client writes it (vLLM and SGLang both use it).</summary>
internal sealed class PrometheusText
{
    private readonly StringBuilder _text = new(8192);

    public void Family(string name, string help, string type)
    {
        _text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    public void Sample(string name, string labels, double value)
    {
        _text.Append(name).Append('{').Append(labels).Append("} ").Append(Format(value)).Append('\n');
    }

    /// <summary>
    /// Writes <c>_sum</c>, the cumulative buckets and <c>_count</c>. Labels are sorted as prometheus_client sorts them,
    /// so <c>le</c> sits between <paramref name="labelsBeforeLe"/> (ending with a comma, or empty) and
    /// <paramref name="labelsAfterLe"/>.
    /// </summary>
    public void Histogram(string name, string help, LatencyHistogram histogram, string labelsBeforeLe, string labelsAfterLe)
    {
        Family(name, help, "histogram");
        string all = labelsBeforeLe + labelsAfterLe;
        Sample(name + "_sum", all, histogram.Sum);
        long cumulative = 0;
        for (int i = 0; i <= histogram.Bounds.Count; i++)
        {
            cumulative = histogram.CumulativeCount(i);
            string le = i < histogram.Bounds.Count ? Format(histogram.Bounds[i]) : "+Inf";
            _text.Append(name).Append("_bucket{").Append(labelsBeforeLe).Append("le=\"").Append(le).Append('"');
            if (labelsAfterLe.Length > 0)
            {
                _text.Append(',').Append(labelsAfterLe);
            }

            _text.Append("} ").Append(Format(cumulative)).Append('\n');
        }

        Sample(name + "_count", all, cumulative);
    }

    public override string ToString() => _text.ToString();

    /// <summary>Escapes a label value.</summary>
    public static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>prometheus_client's floatToGoString: Python repr, "23.0" for integers, "6.2396421e+07" from 1e6 up.</summary>
    public static string Format(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            return "+Inf";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "-Inf";
        }

        if (double.IsNaN(value))
        {
            return "NaN";
        }

        string s = PythonRepr(value);
        int dot = s.IndexOf('.', StringComparison.Ordinal);
        if (value > 0 && dot > 6 && !s.Contains('e', StringComparison.Ordinal))
        {
            string mantissa = (s[0] + "." + s[1..dot] + s[(dot + 1)..]).TrimEnd('0', '.');
            return mantissa + "e+0" + (dot - 1).ToString(CultureInfo.InvariantCulture);
        }

        return s;
    }

    private static string PythonRepr(double value)
    {
        string r = value.ToString("R", CultureInfo.InvariantCulture);
        int e = r.IndexOf('E', StringComparison.Ordinal);
        if (e < 0)
        {
            return r.Contains('.', StringComparison.Ordinal) ? r : r + ".0";
        }

        // .NET "1E-05" → Python "1e-05"; "1.5E+16" → "1.5e+16".
        string mant = r[..e];
        string exp = r[(e + 1)..];
        char sign = exp[0] is '-' or '+' ? exp[0] : '+';
        string digits = exp.TrimStart('+', '-').PadLeft(2, '0');
        return mant + "e" + sign + digits;
    }
}
