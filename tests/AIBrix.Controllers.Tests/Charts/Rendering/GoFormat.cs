using System.Globalization;
using System.Text;

namespace AIBrix.Controllers.Tests.Charts.Rendering;

/// <summary>
/// Go's <c>fmt.Sprintf</c> for the verbs charts use: <c>%s %v %d %q %t %%</c>, including Go's way of reporting a
/// mismatch (<c>%!d(float64=3)</c>: a values-file number is a float64, so <c>%d</c> needs <c>int</c> first).
/// </summary>
internal static class GoFormat
{
    public static string Sprintf(string format, object?[] args)
    {
        var sb = new StringBuilder();
        int next = 0;
        for (int i = 0; i < format.Length; i++)
        {
            if (format[i] != '%')
            {
                sb.Append(format[i]);
                continue;
            }

            if (++i >= format.Length)
            {
                sb.Append("%!(NOVERB)");
                break;
            }

            char verb = format[i];
            if (verb == '%')
            {
                sb.Append('%');
                continue;
            }

            if (next >= args.Length)
            {
                sb.Append("%!").Append(verb).Append("(MISSING)");
                continue;
            }

            sb.Append(Verb(verb, args[next++]));
        }

        if (next < args.Length)
        {
            sb.Append("%!(EXTRA ").Append(string.Join(", ", args[next..].Select(a => $"{GoValues.Kind(a)}={GoValues.Print(a)}"))).Append(')');
        }

        return sb.ToString();
    }

    private static string Verb(char verb, object? arg) => (verb, arg) switch
    {
        ('v', _) => arg is null ? "<nil>" : GoValues.Print(arg),
        ('s', string s) => s,
        ('s', Dictionary<string, object?> or List<object?>) => GoValues.Print(arg),
        ('q', string s) => GoValues.Quote(s),
        ('d', long l) => l.ToString(CultureInfo.InvariantCulture),
        ('t', bool b) => b ? "true" : "false",
        (_, null) => $"%!{verb}(<nil>)",
        ('s' or 'q' or 'd' or 't', _) => $"%!{verb}({GoValues.Kind(arg)}={GoValues.Print(arg)})",
        _ => throw new TemplateException($"printf verb %{verb} is not supported by this renderer"),
    };
}
