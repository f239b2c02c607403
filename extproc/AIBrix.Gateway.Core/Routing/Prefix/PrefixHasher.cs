using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace AIBrix.Gateway.Core.Routing.Prefix;

/// <summary>
/// Cuts a prompt into blocks of <see cref="PrefixCacheOptions.BlockSize"/> tokens and hashes them in a
/// chain: block i's XxHash64 is seeded with block i-1's, so one hash names the whole prefix up to and
/// including its block, as the engines' own prefix caches do. The trailing partial block is hashed
/// too, so an identical short prompt still finds its pod. Hashes are computed once per request and
/// kept on the <see cref="RoutingRequest"/> for the post-route record.
/// </summary>
internal sealed class PrefixHasher
{
    /// <summary>Blocks hashed at most: past this, a longer prompt's tail does not change the routing.</summary>
    public const int MaxBlocks = 8192;

    private readonly PrefixCacheOptions _options;
    private readonly Lazy<Tokenizer>? _tiktoken;

    public PrefixHasher(PrefixCacheOptions options)
    {
        _options = options;
        if (options.Tokenizer == PrefixTokenizerKind.Tiktoken)
        {
            _tiktoken = new Lazy<Tokenizer>(() => TiktokenTokenizer.CreateForEncoding("cl100k_base"), LazyThreadSafetyMode.ExecutionAndPublication);
        }
    }

    public int BlockSize => _options.BlockSize;

    /// <summary>The request's block hashes, computed on first use.</summary>
    public ReadOnlySpan<ulong> Hash(RoutingRequest request)
    {
        if (request.HasBlockHashes)
        {
            return request.BlockHashes;
        }

        switch (_options.Tokenizer)
        {
            case PrefixTokenizerKind.Bytes:
                return request.PromptUtf8.Length > 0 || request.PromptText.Length == 0
                    ? HashUnits(request, request.PromptUtf8.Span, _options.BlockSize)
                    : HashUnits(request, Encoding.UTF8.GetBytes(request.PromptText), _options.BlockSize);
            case PrefixTokenizerKind.Tiktoken:
                var ids = _tiktoken!.Value.EncodeToIds(request.PromptText);
                int[] buffer = [.. ids];
                return HashUnits(request, MemoryMarshal.AsBytes(buffer.AsSpan()), _options.BlockSize * sizeof(int));
            default:
                return HashUnits(request, MemoryMarshal.AsBytes(request.PromptText.AsSpan()), _options.BlockSize * sizeof(char));
        }
    }

    private static ReadOnlySpan<ulong> HashUnits(RoutingRequest request, ReadOnlySpan<byte> data, int blockBytes)
    {
        int count = Math.Min(MaxBlocks, (data.Length + blockBytes - 1) / blockBytes);
        var hashes = request.RentBlockHashes(count);
        ulong previous = 0;
        for (int i = 0; i < count; i++)
        {
            int offset = i * blockBytes;
            previous = XxHash64.HashToUInt64(data.Slice(offset, Math.Min(blockBytes, data.Length - offset)), unchecked((long)previous));
            hashes[i] = previous;
        }

        return hashes;
    }
}
