using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace AIBrix.Gateway.KvEvents;

/// <summary>
/// Loads a Hugging Face <c>tokenizer.json</c> (the <c>tokenizers</c> library's format, what most models on the Hub
/// ship) into Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/>, which has no loader of its own for the format.
/// Supported: a <c>BPE</c> model (vocab, merges as <c>"a b"</c> strings or <c>["a","b"]</c> pairs, unknown token,
/// subword prefix and suffix), byte-level pre-tokenization (<c>ByteLevel</c>, alone or after a <c>Split</c> by a
/// regex, as GPT-2, Llama 3, Qwen 2 and Mistral's Tekken use), <c>added_tokens</c> as special tokens, no normalizer
/// or <c>NFC</c>, and a <c>TemplateProcessing</c> post-processor's leading special token as the
/// beginning-of-sequence token. Anything else (WordPiece, Unigram, Metaspace, other normalizers) is refused with a
/// message naming it, rather than loaded into a tokenizer that would produce different ids than the engine.
/// </summary>
/// <remarks>
/// Not reproduced: <c>ignore_merges</c> (Llama 3 looks a whole pre-token up in the vocabulary before merging; the
/// merges reach the same token for the vocabulary's own words, not always for others), <c>byte_fallback</c>, and
/// <c>dropout</c>. <c>Split</c> patterns run on .NET's regex engine, which accepts the patterns those models use.
/// </remarks>
public static class HuggingFaceTokenizerJson
{
    // The regex GPT-2's ByteLevel pre-tokenizer uses when use_regex is true.
    private const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>The tokenizer in <paramref name="json"/> and its beginning-of-sequence id (null when the post-processor adds none).</summary>
    /// <exception cref="FormatException">The file is not a tokenizer.json this loader supports; the message says why.</exception>
    public static (Tokenizer Tokenizer, int? BeginningOfSequenceId) Load(Stream json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new FormatException($"not JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("no \"model\" object: not a Hugging Face tokenizer.json");
            }

            string type = String(model, "type") ?? "BPE";
            if (type != "BPE")
            {
                throw new FormatException($"model type '{type}' is not supported (only BPE)");
            }

            var specials = AddedTokens(root);
            var vocab = Vocabulary(model);
            var options = new BpeOptions(vocab)
            {
                Merges = Merges(model),
                SpecialTokens = specials.Count > 0 ? specials : null,
                UnknownToken = String(model, "unk_token"),
                ContinuingSubwordPrefix = String(model, "continuing_subword_prefix"),
                EndOfWordSuffix = String(model, "end_of_word_suffix"),
                FuseUnknownTokens = model.TryGetProperty("fuse_unk", out var fuse) && fuse.ValueKind == JsonValueKind.True,
            };
            (options.PreTokenizer, options.ByteLevel) = PreTokenizer(root, specials);
            options.Normalizer = Normalizer(root);
            int? bos = BeginningOfSequence(root, specials, vocab);
            return (BpeTokenizer.Create(options), bos);
        }
    }

    private static Dictionary<string, int> AddedTokens(JsonElement root)
    {
        var specials = new Dictionary<string, int>(StringComparer.Ordinal);
        if (root.TryGetProperty("added_tokens", out var added) && added.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in added.EnumerateArray())
            {
                if (String(token, "content") is { } content && token.TryGetProperty("id", out var id) && id.TryGetInt32(out int value))
                {
                    specials[content] = value;
                }
            }
        }

        return specials;
    }

    private static Dictionary<string, int> Vocabulary(JsonElement model)
    {
        if (!model.TryGetProperty("vocab", out var vocab) || vocab.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("model.vocab is missing or not an object");
        }

        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in vocab.EnumerateObject())
        {
            if (!entry.Value.TryGetInt32(out int id))
            {
                throw new FormatException($"model.vocab['{entry.Name}'] is not an integer id");
            }

            result[entry.Name] = id;
        }

        return result;
    }

    private static List<string> Merges(JsonElement model)
    {
        var merges = new List<string>();
        if (!model.TryGetProperty("merges", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return merges;
        }

        foreach (var merge in array.EnumerateArray())
        {
            merges.Add(merge.ValueKind switch
            {
                JsonValueKind.String => merge.GetString()!,
                JsonValueKind.Array when merge.GetArrayLength() == 2 => $"{merge[0].GetString()} {merge[1].GetString()}",
                _ => throw new FormatException("model.merges holds an entry that is neither \"a b\" nor [\"a\", \"b\"]"),
            });
        }

        return merges;
    }

    private static (PreTokenizer? PreTokenizer, bool ByteLevel) PreTokenizer(JsonElement root, Dictionary<string, int> specials)
    {
        if (!root.TryGetProperty("pre_tokenizer", out var pre) || pre.ValueKind == JsonValueKind.Null)
        {
            return (null, false);
        }

        var steps = String(pre, "type") == "Sequence" && pre.TryGetProperty("pretokenizers", out var list) ? [.. list.EnumerateArray()] : new[] { pre };
        string? pattern = null;
        bool byteLevel = false;
        foreach (var step in steps)
        {
            switch (String(step, "type"))
            {
                case "Split" when step.TryGetProperty("pattern", out var p) && p.TryGetProperty("Regex", out var regex) && regex.ValueKind == JsonValueKind.String
                                  && String(step, "behavior") is "Isolated" or null && !(step.TryGetProperty("invert", out var inv) && inv.ValueKind == JsonValueKind.True):
                    pattern = regex.GetString();
                    break;
                case "ByteLevel":
                    byteLevel = true;
                    if (step.TryGetProperty("add_prefix_space", out var prefix) && prefix.ValueKind == JsonValueKind.True)
                    {
                        throw new FormatException("pre_tokenizer ByteLevel with add_prefix_space is not supported");
                    }

                    if (!step.TryGetProperty("use_regex", out var useRegex) || useRegex.ValueKind != JsonValueKind.False)
                    {
                        pattern ??= Gpt2Pattern;
                    }

                    break;
                default:
                    throw new FormatException($"pre_tokenizer '{String(step, "type")}' is not supported (only ByteLevel and a Split by regex, Isolated)");
            }
        }

        if (!byteLevel)
        {
            throw new FormatException("only byte-level BPE is supported (the pre_tokenizer has no ByteLevel step)");
        }

        return (pattern is null ? null : new RegexPreTokenizer(new Regex(pattern, RegexOptions.CultureInvariant), specials.Count > 0 ? specials : null), true);
    }

    private static Normalizer? Normalizer(JsonElement root)
    {
        if (!root.TryGetProperty("normalizer", out var normalizer) || normalizer.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return String(normalizer, "type") == "NFC"
            ? new NfcNormalizer()
            : throw new FormatException($"normalizer '{String(normalizer, "type")}' is not supported (only none or NFC)");
    }

    // TemplateProcessing's "single" template: a special token before the sequence is what encoding a prompt with
    // special tokens (vLLM's completions endpoint) adds in front.
    private static int? BeginningOfSequence(JsonElement root, Dictionary<string, int> specials, Dictionary<string, int> vocab)
    {
        if (!root.TryGetProperty("post_processor", out var post) || post.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var processors = String(post, "type") == "Sequence" && post.TryGetProperty("processors", out var list) ? [.. list.EnumerateArray()] : new[] { post };
        foreach (var processor in processors)
        {
            if (String(processor, "type") != "TemplateProcessing" || !processor.TryGetProperty("single", out var single) || single.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var piece in single.EnumerateArray())
            {
                if (piece.TryGetProperty("Sequence", out _))
                {
                    return null;
                }

                if (piece.TryGetProperty("SpecialToken", out var special) && String(special, "id") is { } name)
                {
                    return specials.TryGetValue(name, out int id) || vocab.TryGetValue(name, out id)
                        ? id
                        : throw new FormatException($"post_processor names special token '{name}', which is neither an added token nor in the vocabulary");
                }
            }
        }

        return null;
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private sealed class NfcNormalizer : Normalizer
    {
        public override string Normalize(string original) => original.Normalize(System.Text.NormalizationForm.FormC);

        public override string Normalize(ReadOnlySpan<char> original) => original.ToString().Normalize(System.Text.NormalizationForm.FormC);
    }
}
