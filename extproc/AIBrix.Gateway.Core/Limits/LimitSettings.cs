namespace AIBrix.Gateway.Core.Limits;

/// <summary>How requests are authenticated (config <c>auth.mode</c>).</summary>
public enum AuthMode
{
    /// <summary>AIBrix's behaviour: the <c>user</c> header is taken as given.</summary>
    None,

    /// <summary><c>Authorization: Bearer &lt;key&gt;</c> names the user; a bad key is a 401.</summary>
    ApiKey,
}

/// <summary>What admission does when the limit store can't be reached (config <c>limits.failureMode</c>).</summary>
public enum LimitFailureMode
{
    /// <summary>Admit without limits (default): an outage costs enforcement, not availability.</summary>
    Open,

    /// <summary>Refuse with 503 until the store answers again.</summary>
    Closed,
}

/// <summary>The <c>auth:</c> section.</summary>
public sealed record AuthSettings
{
    /// <summary>Default: no authentication.</summary>
    public static AuthSettings Default { get; } = new();

    /// <summary><c>auth.mode</c>: none (default) or apikey.</summary>
    public AuthMode Mode { get; init; } = AuthMode.None;

    /// <summary>
    /// <c>auth.enforceInExtProc</c> (default true): ext_proc checks the key itself. Set false when
    /// Envoy's ext_authz filter calls the gateway's Authorization service, which already did.
    /// </summary>
    public bool EnforceInExtProc { get; init; } = true;

    /// <summary>
    /// <c>auth.keyCacheSeconds</c> (default 10; 0: ask the store every time): a key verified against the store is
    /// trusted for this long without asking the store again. A key revoked on one replica stops working
    /// there at once and on the others within this time.
    /// </summary>
    public TimeSpan KeyCacheTtl { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// <c>auth.keyStaleIfErrorSeconds</c> (default 300): while the store is unreachable, a key verified
    /// within this time is still accepted, so a Redis outage does not lock out every known user. 0: refuse.
    /// </summary>
    public TimeSpan KeyStaleIfError { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>The <c>limits:</c> section.</summary>
public sealed record LimitSettings
{
    /// <summary>Defaults: fail open, 1,024 output tokens when a request sets no cap, 4 prompt bytes a token.</summary>
    public static LimitSettings Default { get; } = new();

    /// <summary><c>limits.failureMode</c>: open (default) or closed.</summary>
    public LimitFailureMode FailureMode { get; init; } = LimitFailureMode.Open;

    /// <summary><c>limits.defaultMaxTokens</c>: output tokens reserved when the request sets no cap (default 1024).</summary>
    public int DefaultMaxTokens { get; init; } = 1024;

    /// <summary>
    /// <c>limits.promptBytesPerToken</c>: the prompt estimate is its UTF-8 length divided by this, rounded
    /// up (default 4, OpenAI's rule of thumb for English; lower it for languages that tokenize densely).
    /// </summary>
    public int PromptBytesPerToken { get; init; } = 4;

    /// <summary>
    /// <c>limits.promptOverheadTokens</c>: tokens added to every prompt estimate for what the engine's chat
    /// template wraps around the text (role headers, special tokens; default 32).
    /// </summary>
    public int PromptOverheadTokens { get; init; } = 32;

    /// <summary><c>limits.modelRps</c>: requests per second per model name (absent: unlimited).</summary>
    public IReadOnlyDictionary<string, long> ModelRps { get; init; } = new Dictionary<string, long>();
}
