using System.Globalization;
using System.Security.Cryptography;
using AIBrix.Runtime.Artifacts.Sources;

namespace AIBrix.Runtime.Artifacts.Transfer;

/// <summary>Digests of a file as the sources state them.</summary>
internal static class Checksums
{
    public static string OfFile(string path, long size, ChecksumAlgorithm algorithm)
    {
#pragma warning disable CA5350, CA5351 // SHA-1 and MD5 here are the sources' content identities (git blob ids, S3 ETags), not security.
        using IncrementalHash hash = algorithm switch
        {
            ChecksumAlgorithm.Sha256 => IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
            ChecksumAlgorithm.GitBlobSha1 => IncrementalHash.CreateHash(HashAlgorithmName.SHA1),
            _ => IncrementalHash.CreateHash(HashAlgorithmName.MD5),
        };
#pragma warning restore CA5350, CA5351
        if (algorithm == ChecksumAlgorithm.GitBlobSha1)
        {
            hash.AppendData(System.Text.Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"blob {size}\0")));
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20, FileOptions.SequentialScan);
        byte[] buffer = new byte[1 << 20];
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            hash.AppendData(buffer.AsSpan(0, n));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
