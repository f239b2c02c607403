namespace AIBrix.KvEvents;

/// <summary>How events are laid out inside a batch (the batch itself is always <c>[ts, events, data_parallel_rank]</c>).</summary>
public enum KvEventEncoding
{
    /// <summary>
    /// Each event a map with a <c>"type"</c> tag and named fields: what vLLM publishes since it dropped msgspec's
    /// <c>array_like</c> from its event structs (vLLM PR #42892).
    /// </summary>
    Map,

    /// <summary>Each event a tagged positional array (<c>array_like=True</c>): what earlier vLLM releases publish.</summary>
    Array,
}
