using StackExchange.Redis;

namespace AIBrix.GpuOptimizer.Redis;

/// <summary>
/// Profiles in Redis where AIBrix keeps them: one JSON string per (model, deployment) under
/// <see cref="GpuProfileKeys.For"/>. Profiles written by AIBrix's <c>gen_profile.py</c> are read unchanged, and ours
/// are read by AIBrix.
/// </summary>
public sealed class RedisProfileStore(IConnectionMultiplexer redis)
{
    /// <summary>Stores <paramref name="profile"/> as <paramref name="model"/>'s profile of its deployment (<see cref="GpuProfile.Gpu"/>).</summary>
    public async Task SaveAsync(string model, GpuProfile profile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        await redis.GetDatabase().StringSetAsync(GpuProfileKeys.For(model, profile.Gpu), GpuProfileJson.Serialize(profile)).ConfigureAwait(false);
    }

    /// <summary>
    /// Every profile of <paramref name="model"/> (a SCAN over <see cref="GpuProfileKeys.PatternFor"/>), with the
    /// problems of the keys that do not hold a valid profile; each error names its key.
    /// </summary>
    public async Task<ProfileReadResult> LoadAsync(string model, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in redis.GetEndPoints())
        {
            var server = redis.GetServer(endpoint);
            if (server.IsReplica)
            {
                continue;
            }

            await foreach (var key in server.KeysAsync(pattern: GpuProfileKeys.PatternFor(model)).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                keys.Add(key.ToString());
            }
        }

        var profiles = new List<GpuProfile>();
        var errors = new List<string>();
        var db = redis.GetDatabase();
        foreach (string key in keys)
        {
            if (!GpuProfileKeys.TryGetDeployment(key, model, out _))
            {
                continue;
            }

            var value = await db.StringGetAsync(key).ConfigureAwait(false);
            if (value.IsNull)
            {
                continue; // deleted between the scan and the read
            }

            var read = GpuProfileJson.Parse(value.ToString(), key);
            profiles.AddRange(read.Profiles);
            errors.AddRange(read.Errors);
        }

        return new ProfileReadResult(profiles, errors);
    }
}
