namespace AIBrix.Gateway.Core.Limits;

/// <summary>
/// A stored API key: never the key itself, only a per-key salt and the SHA-256 of salt + secret.
/// </summary>
/// <param name="Id">Public id, part of the key (<c>aibrix-&lt;id&gt;-&lt;secret&gt;</c>); used to find the record.</param>
/// <param name="User">The user the key authenticates as.</param>
/// <param name="Prefix">The first characters of the key, shown in listings so owners can recognise it.</param>
/// <param name="Salt">Random salt (16 bytes).</param>
/// <param name="Hash">SHA-256(salt || secret).</param>
/// <param name="CreatedAt">Creation time.</param>
public sealed record ApiKeyRecord(string Id, string User, string Prefix, byte[] Salt, byte[] Hash, DateTimeOffset CreatedAt);
