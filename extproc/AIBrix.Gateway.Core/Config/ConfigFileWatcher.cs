using System.IO.Hashing;

namespace AIBrix.Gateway.Core.Config;

/// <summary>
/// Reloads the config file when its content changes. Polls the content hash rather than trusting
/// file-system events, because a Kubernetes ConfigMap is updated by swapping a symlink, which
/// watchers often miss. An invalid new file is reported and the previous config stays in force.
/// </summary>
public sealed class ConfigFileWatcher
{
    private readonly string _path;
    private readonly Func<string, bool> _isKnownStrategy;
    private readonly string? _environmentDefault;
    private readonly TimeProvider _time;
    private ulong _lastHash;

    /// <summary>Creates a watcher; <paramref name="initialText"/> is the text already applied.</summary>
    public ConfigFileWatcher(string path, string initialText, Func<string, bool> isKnownStrategy, string? environmentDefault, TimeProvider? time = null)
    {
        _path = path;
        _isKnownStrategy = isKnownStrategy;
        _environmentDefault = environmentDefault;
        _time = time ?? TimeProvider.System;
        _lastHash = Hash(initialText);
    }

    /// <summary>How often the file is read (default 1 s).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Polls until cancelled, calling <paramref name="onReload"/> with each new valid config
    /// and <paramref name="onInvalid"/> with the errors of each new invalid one.</summary>
    public async Task RunAsync(Action<GatewayConfig> onReload, Action<IReadOnlyList<string>> onInvalid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onReload);
        ArgumentNullException.ThrowIfNull(onInvalid);
        using var timer = new PeriodicTimer(PollInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                CheckOnce(onReload, onInvalid);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Reads the file once and reports a change; returns true when the content changed.</summary>
    public bool CheckOnce(Action<GatewayConfig> onReload, Action<IReadOnlyList<string>> onInvalid)
    {
        ArgumentNullException.ThrowIfNull(onReload);
        ArgumentNullException.ThrowIfNull(onInvalid);
        string text;
        try
        {
            text = File.ReadAllText(_path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // mid-swap or briefly missing: try again next tick
        }

        ulong hash = Hash(text);
        if (hash == _lastHash)
        {
            return false;
        }

        _lastHash = hash;
        var result = GatewayConfigLoader.Parse(text, _path, _isKnownStrategy, _environmentDefault);
        if (result.Config is { } config)
        {
            onReload(config);
        }
        else
        {
            onInvalid(result.Errors);
        }

        return true;
    }

    private static ulong Hash(string text) => XxHash64.HashToUInt64(System.Text.Encoding.UTF8.GetBytes(text));
}
