using AIBrix.Controllers.Tests.Charts.Rendering;

namespace AIBrix.Controllers.Tests.Charts;

/// <summary>
/// The renderer behind the chart tests holds to Go text/template, Sprig and Helm on the points where charts go wrong:
/// trimming, float64 values, int/float comparisons, missing keys, variable scope, toYaml's shape and quoting.
/// </summary>
public sealed class TemplateRendererTests
{
    private static string Render(string template, string values = "{}", int seed = 1, params (string Name, string Body)[] partials)
    {
        var functions = new TemplateFunctions(seed);
        var defines = new Dictionary<string, NamedTemplate>(StringComparer.Ordinal);
        foreach (var (name, body) in partials)
        {
            TemplateParser.Parse(body, name, functions.Exists, defines);
        }

        var nodes = TemplateParser.Parse(template, "test.yaml", functions.Exists, defines);
        var data = new Dictionary<string, object?>(StringComparer.Ordinal) { ["Values"] = HelmYaml.Load(values) };
        return new TemplateExecutor(defines, functions).Render(nodes, "test.yaml", data).Replace("<no value>", "", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a  {{- 1 -}}  b", "a1b")]
    [InlineData("a\n  {{- 1 }}\nb", "a1\nb")]
    [InlineData("{{-3}}", "-3")]
    [InlineData("x{{/* a comment */}}y", "xy")]
    [InlineData("x\n{{- /* trimmed comment */ -}}\ny", "xy")]
    [InlineData("{{ \"}}\" }}", "}}")]
    public void Trim_MarkersAndComments_AsGo(string template, string expected) => Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("port: 50052", "{{ .Values.port }}", "50052")]
    [InlineData("big: 1000000", "{{ .Values.big }}", "1e+06")]
    [InlineData("big: 1234567", "{{ .Values.big }}", "1.234567e+06")]
    [InlineData("small: 0.00001", "{{ .Values.small }}", "1e-05")]
    [InlineData("half: 0.5", "{{ .Values.half }}", "0.5")]
    [InlineData("big: 1000000", "{{ .Values.big | int }}", "1000000")]
    [InlineData("big: 1000000", "{{ toYaml .Values.big }}", "1000000")]
    [InlineData("big: 1000000", "{{ quote .Values.big }}", "\"1e+06\"")]
    [InlineData("count: 3", "{{ printf \"%d\" .Values.count }}", "%!d(float64=3)")]
    [InlineData("count: 3", "{{ printf \"%d-%s\" (int .Values.count) \"x\" }}", "3-x")]
    [InlineData("mode: 0755", "{{ .Values.mode }}", "493")]
    public void Numbers_FromValuesAreFloat64_AsHelmPrintsThem(string values, string template, string expected) =>
        Assert.Equal(expected, Render(template, values));

    [Fact]
    public void Eq_Float64ValueAgainstIntConstant_FailsAsInHelm()
    {
        var e = Assert.Throws<TemplateException>(() => Render("{{ if eq .Values.replicas 1 }}one{{ end }}", "replicas: 1"));

        Assert.Contains("incompatible types for comparison", e.Message, StringComparison.Ordinal);
        Assert.Equal("one", Render("{{ if eq (int .Values.replicas) 1 }}one{{ end }}", "replicas: 1"));
    }

    [Theory]
    [InlineData("enabled: yes", "{{ .Values.enabled }}", "true")]
    [InlineData("l: [x, y]", "{{ toString .Values.l }}", "[x true]")]
    [InlineData("answer: \"no\"", "{{ .Values.answer }}", "no")]
    [InlineData("on: 1", "{{ index .Values \"true\" }}", "1")]
    [InlineData("{}", "[{{ .Values.missing }}]", "[]")]
    [InlineData("a: {}", "{{ if and .Values.b .Values.b.c }}x{{ else }}y{{ end }}", "y")]
    [InlineData("a: 0", "{{ .Values.a | default 5 }}", "5")]
    [InlineData("a: false", "{{ if .Values.a }}t{{ else if not .Values.a }}f{{ end }}", "f")]
    [InlineData("m: {b: 2, a: 1}", "{{ range $k, $v := .Values.m }}{{ $k }}={{ $v }};{{ end }}", "a=1;b=2;")]
    [InlineData("l: [p, q]", "{{ range $i, $v := .Values.l }}{{ $i }}{{ $v }}{{ end }}", "0p1q")]
    [InlineData("l: []", "{{ range .Values.l }}x{{ else }}empty{{ end }}", "empty")]
    [InlineData("m: {a: 1}", "{{ with .Values.m }}{{ .a }}{{ end }}", "1")]
    [InlineData("{}", "{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}", "2")]
    [InlineData("{}", "{{ trunc 4 \"abcdefgh\" | trimSuffix \"d\" }}", "abc")]
    [InlineData("{}", "{{ \"a-b-\" | trimSuffix \"-\" }}", "a-b")]
    [InlineData("{}", "{{ list 1 \"a\" | toString }}", "[1 a]")]
    [InlineData("{}", "{{ \"x\" | b64enc }}", "eA==")]
    [InlineData("{}", "{{ sha256sum \"abc\" }}", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("{}", "{{ if lookup \"v1\" \"Secret\" \"ns\" \"x\" }}found{{ else }}none{{ end }}", "none")]
    [InlineData("{}", "{{ $d := dict \"a\" 1 }}{{ $_ := set $d \"b\" 2 }}{{ toYaml $d }}", "a: 1\nb: 2")]
    [InlineData("{}", "{{ print 1 2 \"x\" 3 }}", "1 2x3")]
    public void Semantics_MatchGoSprigAndHelm(string values, string template, string expected) =>
        Assert.Equal(expected, Render(template, values));

    [Fact]
    public void Field_OfAMissingMap_IsNilPointerError()
    {
        var e = Assert.Throws<TemplateException>(() => Render("{{ .Values.a.b }}"));

        Assert.Contains("nil pointer evaluating interface {}.b", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Variable_DeclaredInsideIf_IsOutOfScopeAfterEnd()
    {
        var e = Assert.Throws<TemplateException>(() => Render("{{ if true }}{{ $y := 1 }}{{ end }}{{ $y }}"));

        Assert.Contains("undefined variable", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequiredAndFail_StopTheRenderWithTheirMessageAndPlace()
    {
        var required = Assert.Throws<TemplateException>(() => Render("a\n{{ required \"set .Values.x\" .Values.x }}"));
        var fail = Assert.Throws<TemplateException>(() => Render("{{ fail \"no way\" }}"));

        Assert.Equal("execution error at (test.yaml:2): set .Values.x", required.Message);
        Assert.Equal("execution error at (test.yaml:1): no way", fail.Message);
    }

    [Fact]
    public void UnknownFunction_FailsAtParse()
    {
        var e = Assert.Throws<TemplateException>(() => Render("{{ if false }}{{ nosuch 1 }}{{ end }}"));

        Assert.Contains("function \"nosuch\" not defined", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Include_RendersADefineFromAnotherFileWithNindent()
    {
        string result = Render(
            "spec:{{ include \"labels\" . | nindent 2 }}",
            "name: web",
            partials: ("_helpers.tpl", "{{- define \"labels\" -}}\napp: {{ .Values.name }}\ntier: front\n{{- end }}"));

        Assert.Equal("spec:\n  app: web\n  tier: front", result);
    }

    [Fact]
    public void ToYaml_SortsKeysKeepsListsAtKeyIndentAndQuotesAmbiguousStrings()
    {
        string values = "v: {b: [1, {x: z}], a: 'true', c: '8000', d: 'plain text', e: {}, f: '', g: 'a: b'}";

        string yaml = Render("{{ toYaml .Values.v }}", values);

        Assert.Equal("a: \"true\"\nb:\n- 1\n- x: z\nc: \"8000\"\nd: plain text\ne: {}\nf: \"\"\ng: \"a: b\"", yaml);
        Assert.Equal(HelmYaml.Load(values) is Dictionary<string, object?> m ? HelmYaml.ToYaml(m["v"]) : null, HelmYaml.ToYaml(HelmYaml.Load(yaml)));
    }

    [Fact]
    public void RandAlphaNum_IsRepeatablePerSeed()
    {
        string a = Render("{{ randAlphaNum 32 }}", seed: 7), b = Render("{{ randAlphaNum 32 }}", seed: 7), c = Render("{{ randAlphaNum 32 }}", seed: 8);

        Assert.Equal(32, a.Length);
        Assert.True(a.All(char.IsAsciiLetterOrDigit));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }
}
