namespace AIBrix.Gateway.Redis;

/// <summary>
/// The Lua scripts. Each call touches the keys of one hash slot only (a Redis Cluster refuses a script
/// whose keys span slots): a user's windows share the tag <c>{u:name}</c>, a model's window has its own,
/// so the model limit is its own call. Time comes from the Redis server that holds the window
/// (<c>TIME</c>), so replicas with drifting clocks share one clock per window. Each window is a sliding
/// log: a sorted set of reservation ids scored by admission time in ms; tokens per id live in a hash with
/// their running sum, so the TPM check is O(1) after trimming the entries older than 60 s.
/// </summary>
internal static class LimitScripts
{
    /// <summary>
    /// KEYS (one slot: the user's): user, rpm log, tpm log, tpm amounts, tpm sum.
    /// ARGV: id, reserved tokens, peek (1: report the windows without reserving, for a refusal decided elsewhere).
    /// Returns {verdict, rpm, rpm remaining, rpm reset ms, tpm, tpm remaining, tpm reset ms}.
    /// Verdicts: 0 admitted (or, when peeking, known), 1 rpm, 2 tpm, 4 unknown user.
    /// </summary>
    public const string AdmitUser = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local id = ARGV[1]
        local reserve = tonumber(ARGV[2])
        local u = redis.call('HMGET', KEYS[1], 'rpm', 'tpm')
        if not u[1] and redis.call('EXISTS', KEYS[1]) == 0 then
          return {4, 0, 0, 0, 0, 0, 0}
        end
        local rpm = tonumber(u[1]) or 0
        local tpm = tonumber(u[2]) or 0
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
        local count = redis.call('ZCARD', KEYS[2])
        local sum = tonumber(redis.call('GET', KEYS[5]) or '0')
        local function answer(verdict)
          local left_r, left_t = 0, 0
          if rpm > 0 then left_r = math.max(0, rpm - count) end
          if tpm > 0 then left_t = math.max(0, tpm - sum) end
          local r = 0
          local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
          if #oldest > 0 then r = math.max(0, tonumber(oldest[2]) + 60000 - now) end
          return {verdict, rpm, left_r, r, tpm, left_t, r}
        end
        if ARGV[3] == '1' then return answer(0) end
        if rpm > 0 and count >= rpm then return answer(1) end
        if tpm > 0 and sum + reserve > tpm then return answer(2) end
        redis.call('ZADD', KEYS[2], now, id)
        redis.call('ZADD', KEYS[3], now, id)
        redis.call('HSET', KEYS[4], id, reserve)
        redis.call('INCRBY', KEYS[5], reserve)
        for i = 2, 5 do redis.call('PEXPIRE', KEYS[i], 61000) end
        count = count + 1
        sum = sum + reserve
        return answer(0)
        """;

    /// <summary>
    /// KEYS (the model's slot): model log. ARGV: id, requests per second.
    /// Takes a place in the model's one-second window: 1 taken, 0 full.
    /// </summary>
    public const string AdmitModel = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 1000)
        if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
        redis.call('ZADD', KEYS[1], now, ARGV[1])
        redis.call('PEXPIRE', KEYS[1], 2000)
        return 1
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

    /// <summary>
    /// KEYS (one slot: the user's): rpm log, tpm log, tpm amounts. Read-only: counts what the admission script would
    /// count now (entries of the last 60 s; tokens reserved or charged by them), without trimming.
    /// Returns {requests, tokens}.
    /// </summary>
    public const string Usage = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local cutoff = '(' .. (now - 60000)
        local requests = redis.call('ZCOUNT', KEYS[1], cutoff, '+inf')
        local tokens = 0
        local ids = redis.call('ZRANGEBYSCORE', KEYS[2], cutoff, '+inf')
        for first = 1, #ids, 1000 do
          local amounts = redis.call('HMGET', KEYS[3], unpack(ids, first, math.min(first + 999, #ids)))
          for i = 1, #amounts do tokens = tokens + (tonumber(amounts[i]) or 0) end
        end
        return {requests, tokens}
        """;
}
