namespace AIBrix.Gateway.Http.Operator;

/// <summary>
/// The operator page at <c>GET /</c> of the HTTP side port, in every mode (and of the one port in standalone
/// mode). One self-contained document embedded in the executable (<c>operator.html</c>): its styles, scripts
/// and charts are inline, nothing is fetched from elsewhere, so it works on a machine with no network.
/// It reads the JSON APIs under <c>/debug</c>, which teams may read for their own dashboards.
/// </summary>
internal static class OperatorPage
{
    private static readonly Lazy<string> Document = new(Load);

    /// <summary>The page's HTML.</summary>
    public static string Html => Document.Value;

    public static void MapOperatorPage(this WebApplication app) =>
        app.MapGet("/", () => Results.Content(Html, "text/html; charset=utf-8"));

    private static string Load()
    {
        using var stream = typeof(OperatorPage).Assembly.GetManifestResourceStream("AIBrix.Gateway.operator.html")
            ?? throw new InvalidOperationException("the operator page resource is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
