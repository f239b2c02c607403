using System.Text;

namespace AIBrix.GpuOptimizer;

/// <summary>
/// Where AIBrix keeps profiles in Redis: one string key per (model, deployment),
/// <c>aibrix:profile_&lt;model&gt;_&lt;deployment&gt;</c>, holding the profile's JSON. The optimizer of a model
/// reads every key under <see cref="PatternFor"/>.
/// </summary>
/// <remarks>
/// The format cannot tell model <c>m</c>'s deployment <c>x_y</c> from model <c>m_x</c>'s deployment <c>y</c>; like
/// AIBrix, a reader scanning <c>aibrix:profile_m_*</c> sees both. Avoid '_' in model names that prefix others.
/// </remarks>
public static class GpuProfileKeys
{
    /// <summary>Prefix of every profile key.</summary>
    public const string Prefix = "aibrix:profile_";

    /// <summary>The key of one deployment's profile for <paramref name="model"/>.</summary>
    public static string For(string model, string deployment) => $"{Prefix}{model}_{deployment}";

    /// <summary>A Redis SCAN MATCH pattern for every profile of <paramref name="model"/> (glob characters in the name escaped).</summary>
    public static string PatternFor(string model) => $"{Prefix}{EscapeGlob(model)}_*";

    /// <summary>The deployment named by <paramref name="key"/> when it is a profile key of <paramref name="model"/>.</summary>
    public static bool TryGetDeployment(string key, string model, out string deployment)
    {
        string prefix = $"{Prefix}{model}_";
        if (key.Length > prefix.Length && key.StartsWith(prefix, StringComparison.Ordinal))
        {
            deployment = key[prefix.Length..];
            return true;
        }

        deployment = "";
        return false;
    }

    private static string EscapeGlob(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (char ch in value)
        {
            if (ch is '*' or '?' or '[' or ']' or '\\')
            {
                sb.Append('\\');
            }

            sb.Append(ch);
        }

        return sb.ToString();
    }
}
