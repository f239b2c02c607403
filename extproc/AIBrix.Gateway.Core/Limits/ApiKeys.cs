using System.Security.Cryptography;
using System.Text;

namespace AIBrix.Gateway.Core.Limits;

/// <summary>
/// Makes and checks API keys of the form <c>aibrix-&lt;id&gt;-&lt;secret&gt;</c>: the id (12 hex chars)
/// finds the record, the secret (32 random bytes, base64url) is checked against a salted hash in
/// constant time.
/// </summary>
public static class ApiKeys
{
    private const string Scheme = "aibrix-";
    private const int IdLength = 12;

    /// <summary>Creates a key for <paramref name="user"/>; the returned secret is shown once and never stored.</summary>
    public static (ApiKeyRecord Record, string Key) Create(string user, DateTimeOffset now)
    {
        string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdLength / 2));
        string secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        byte[] salt = RandomNumberGenerator.GetBytes(16);
        string key = Scheme + id + "-" + secret;
        return (new ApiKeyRecord(id, user, key[..(Scheme.Length + IdLength + 5)], salt, Hash(salt, secret), now), key);
    }

    /// <summary>Splits a presented key into id and secret; false when it is not shaped like one of ours.</summary>
    public static bool TryParse(string? key, out string id, out string secret)
    {
        id = secret = "";
        if (key is null || key.Length <= Scheme.Length + IdLength + 1 || !key.StartsWith(Scheme, StringComparison.Ordinal)
            || key[Scheme.Length + IdLength] != '-')
        {
            return false;
        }

        id = key.Substring(Scheme.Length, IdLength);
        secret = key[(Scheme.Length + IdLength + 1)..];
        return true;
    }

    /// <summary>True when <paramref name="secret"/> matches the record; constant time in the hash comparison.</summary>
    public static bool Verify(ApiKeyRecord record, string secret)
    {
        ArgumentNullException.ThrowIfNull(record);
        return CryptographicOperations.FixedTimeEquals(Hash(record.Salt, secret), record.Hash);
    }

    /// <summary>The key from an <c>Authorization: Bearer &lt;key&gt;</c> header value, or null.</summary>
    public static string? FromAuthorization(string? header)
    {
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string key = header[7..].Trim();
        return key.Length == 0 ? null : key;
    }

    private static byte[] Hash(byte[] salt, string secret)
    {
        byte[] input = new byte[salt.Length + Encoding.UTF8.GetByteCount(secret)];
        salt.CopyTo(input, 0);
        Encoding.UTF8.GetBytes(secret, input.AsSpan(salt.Length));
        return SHA256.HashData(input);
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
