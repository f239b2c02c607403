namespace AIBrix.Kubernetes.Testing;

/// <summary>
/// A resource path as the API server reads it: <c>/api/v1[/namespaces/NS]/PLURAL[/NAME[/SUB]]</c> or
/// <c>/apis/GROUP/VERSION[/namespaces/NS]/PLURAL[/NAME[/SUB]]</c>.
/// </summary>
internal readonly record struct ApiRoute(string ApiPath, string ApiVersion, string Plural, string? Ns, string? Name, string? Sub)
{
    /// <summary>The store's key of the resource: <c>api/v1/pods</c>, <c>apis/model.aibrix.ai/v1alpha1/modeladapters</c>.</summary>
    public string Key => KeyOf(ApiPath, Plural);

    public static string KeyOf(string apiPath, string plural) => apiPath.Trim('/') + "/" + plural;

    public static ApiRoute? Parse(string path)
    {
        var s = path.Trim('/').Split('/');
        int i;
        string apiPath, apiVersion;
        if (s.Length >= 3 && s[0] == "api")
        {
            apiPath = "api/" + s[1];
            apiVersion = s[1];
            i = 2;
        }
        else if (s.Length >= 4 && s[0] == "apis")
        {
            apiPath = $"apis/{s[1]}/{s[2]}";
            apiVersion = $"{s[1]}/{s[2]}";
            i = 3;
        }
        else
        {
            return null;
        }

        string? ns = null;
        if (s[i] == "namespaces" && s.Length > i + 2)
        {
            ns = s[i + 1];
            i += 2;
        }

        string plural = s[i];
        string? name = s.Length > i + 1 ? s[i + 1] : null;
        string? sub = s.Length > i + 2 ? s[i + 2] : null;
        return new ApiRoute(apiPath, apiVersion, plural, ns, name, sub);
    }
}
