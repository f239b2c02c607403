using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace AIBrix.Runtime.Artifacts.Tests.Fakes;

/// <summary>
/// Checks an AWS Signature Version 4 <c>Authorization</c> header as S3 does: rebuilds the canonical request from the
/// raw request target and the signed headers, the string to sign over the credential scope, and the HMAC-SHA256
/// chain from the secret key; the signatures must match.
/// </summary>
internal static class SigV4
{
    /// <summary>Null when the request is signed by <paramref name="accessKey"/> with <paramref name="secretKey"/>;
    /// else the S3 error code (InvalidAccessKeyId, SignatureDoesNotMatch, AccessDenied).</summary>
    public static string? Check(HttpContext context, string accessKey, string secretKey)
    {
        string auth = context.Request.Headers.Authorization.ToString();
        const string scheme = "AWS4-HMAC-SHA256 ";
        if (!auth.StartsWith(scheme, StringComparison.Ordinal))
        {
            return "AccessDenied";
        }

        Dictionary<string, string> fields = auth[scheme.Length..].Split(',')
            .Select(p => p.Trim().Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!fields.TryGetValue("Credential", out string? credential) || !fields.TryGetValue("SignedHeaders", out string? signedHeaders)
            || !fields.TryGetValue("Signature", out string? signature))
        {
            return "AccessDenied";
        }

        string[] scope = credential.Split('/');
        if (scope.Length != 5 || scope[0] != accessKey)
        {
            return "InvalidAccessKeyId";
        }

        string rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        int q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        string path = q < 0 ? rawTarget : rawTarget[..q];
        string query = q < 0 ? "" : rawTarget[(q + 1)..];
        string canonicalQuery = string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Key: Uri.EscapeDataString(Uri.UnescapeDataString(p[0])), Value: Uri.EscapeDataString(Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""))))
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + p.Value));
        var canonicalHeaders = new StringBuilder();
        foreach (string name in signedHeaders.Split(';'))
        {
            string value = name == "host" ? context.Request.Host.Value ?? "" : context.Request.Headers[name].ToString();
            canonicalHeaders.Append(name).Append(':').Append(string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))).Append('\n');
        }

        string payloadHash = context.Request.Headers["x-amz-content-sha256"].ToString();
        if (payloadHash.Length == 0)
        {
            payloadHash = Hex(SHA256.HashData([]));
        }

        string canonicalRequest = $"{context.Request.Method}\n{path}\n{canonicalQuery}\n{canonicalHeaders}\n{signedHeaders}\n{payloadHash}";
        string amzDate = context.Request.Headers["x-amz-date"].ToString();
        string credentialScope = string.Join('/', scope[1..]);
        string stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{credentialScope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        byte[] key = Encoding.UTF8.GetBytes("AWS4" + secretKey);
        foreach (string part in scope[1..])
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        string expected = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        return string.Equals(expected, signature, StringComparison.Ordinal) ? null : "SignatureDoesNotMatch";
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
