namespace AIBrix.Gateway.Redis;

/// <summary>
/// The Lua scripts. Time comes from the Redis server (<c>TIME</c>), so replicas with drifting clocks
/// share one clock. Each window is a sliding log: a sorted set of reservation ids scored by admission
/// time in ms; tokens per id live in a hash with their running sum, so the TPM check is O(1) after
/// trimming the entries older than 60 s.
/// </summary>
internal static class LimitScripts
{
    /// <summary>
    /// KEYS: user, rpm log, tpm log, tpm amounts, tpm sum, model log.
    /// ARGV: id, reserved tokens, model rps (0: none), has user (1/0).
    /// Returns {verdict, rpm, rpm remaining, rpm reset ms, tpm, tpm remaining, tpm reset ms}.
    /// Verdicts: 0 admitted, 1 rpm, 2 tpm, 3 model rps, 4 unknown user.
    /// </summary>
    public const string Admit = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local id = ARGV[1]
        local reserve = tonumber(ARGV[2])
        local rps = tonumber(ARGV[3])
        local rpm, tpm, count, sum = 0, 0, 0, 0
        if ARGV[4] == '1' then
          local u = redis.call('HMGET', KEYS[1], 'rpm', 'tpm')
          if not u[1] and redis.call('EXISTS', KEYS[1]) == 0 then
            return {4, 0, 0, 0, 0, 0, 0}
          end
          rpm = tonumber(u[1]) or 0
          tpm = tonumber(u[2]) or 0
          local cutoff = now - 60000
          redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', cutoff)
          local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', cutoff)
          if #expired > 0 then
            local amounts = redis.call('HMGET', KEYS[4], unpack(expired))
            local gone = 0
            for i = 1, #amounts do gone = gone + (tonumber(amounts[i]) or 0) end
            redis.call('HDEL', KEYS[4], unpack(expired))
            redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', cutoff)
            redis.call('DECRBY', KEYS[5], gone)
          end
          count = redis.call('ZCARD', KEYS[2])
          sum = tonumber(redis.call('GET', KEYS[5]) or '0')
        end
        local function reset(key, window)
          local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
          if #oldest == 0 then return 0 end
          return math.max(0, tonumber(oldest[2]) + window - now)
        end
        local function answer(verdict)
          local left_r, left_t = 0, 0
          if rpm > 0 then left_r = math.max(0, rpm - count) end
          if tpm > 0 then left_t = math.max(0, tpm - sum) end
          local r = 0
          if ARGV[4] == '1' then r = reset(KEYS[2], 60000) end
          return {verdict, rpm, left_r, r, tpm, left_t, r}
        end
        if rps > 0 then
          redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', now - 1000)
          if redis.call('ZCARD', KEYS[6]) >= rps then return answer(3) end
        end
        if rpm > 0 and count >= rpm then return answer(1) end
        if tpm > 0 and sum + reserve > tpm then return answer(2) end
        if rps > 0 then
          redis.call('ZADD', KEYS[6], now, id)
          redis.call('PEXPIRE', KEYS[6], 2000)
        end
        if ARGV[4] == '1' then
          redis.call('ZADD', KEYS[2], now, id)
          redis.call('ZADD', KEYS[3], now, id)
          redis.call('HSET', KEYS[4], id, reserve)
          redis.call('INCRBY', KEYS[5], reserve)
          for i = 2, 5 do redis.call('PEXPIRE', KEYS[i], 61000) end
          count = count + 1
          sum = sum + reserve
        end
        return answer(0)
        """;

    /// <summary>
    /// KEYS: tpm log, tpm amounts, tpm sum. ARGV: id, reserved, actual.
    /// Sets the reservation's amount to the actual count (idempotent). A reservation already out of
    /// the window charges only what exceeds it, once, under the id "<c>id:x</c>".
    /// </summary>
    public const string Settle = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local actual = tonumber(ARGV[3])
        local current = redis.call('HGET', KEYS[2], ARGV[1])
        if current then
          redis.call('HSET', KEYS[2], ARGV[1], actual)
          redis.call('INCRBY', KEYS[3], actual - tonumber(current))
          return 1
        end
        local extra = actual - tonumber(ARGV[2])
        local xid = ARGV[1] .. ':x'
        if extra > 0 and redis.call('HSETNX', KEYS[2], xid, extra) == 1 then
          redis.call('ZADD', KEYS[1], now, xid)
          redis.call('INCRBY', KEYS[3], extra)
          for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], 61000) end
          return 2
        end
        return 0
        """;
}
