namespace AIBrix.Gateway.Core.Errors;

/// <summary>Makes client-influenced text (a model name, a strategy) safe to echo in a response header.</summary>
public static class HeaderValues
{
    /// <summary>Longest value echoed; the rest is cut.</summary>
    public const int MaxLength = 256;

    /// <summary>
    /// Visible ASCII only, at most <see cref="MaxLength"/> chars: control characters could split
    /// headers, and servers refuse non-ASCII values. Anything else becomes '?'.
    /// </summary>
    public static string Sanitize(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int length = Math.Min(value.Length, MaxLength);
        bool clean = length == value.Length;
        for (int i = 0; clean && i < length; i++)
        {
            clean = value[i] is >= ' ' and <= '~';
        }

        return clean
            ? value
            : string.Create(length, value, static (span, v) =>
            {
                for (int i = 0; i < span.Length; i++)
                {
                    span[i] = v[i] is >= ' ' and <= '~' ? v[i] : '?';
                }
            });
    }
}
