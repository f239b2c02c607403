using StackExchange.Redis;

namespace AIBrix.Redis;

/// <summary>
/// Connects to Redis (for the gateway's limiter and the GPU optimizer): never blocks start-up on a missing server, fails calls fast
/// while disconnected (no backlog: an admission must not wait seconds), and retries the connection
/// every 250 ms so enforcement resumes within a second of Redis coming back.
/// The address is <c>host:port[,host:port...][,serviceName=NAME]</c> (see <c>RedisAddress</c> in the core):
/// one standalone server, Redis Cluster seeds (the client discovers the other nodes and follows
/// <c>MOVED</c> and failovers), or sentinels with the service name (the client asks them for the primary
/// and switches when they announce a new one).
/// </summary>
public static class RedisConnector
{
    /// <summary>The client name the connections announce unless told otherwise.</summary>
    public const string DefaultClientName = "aibrix-gateway";

    /// <summary>
    /// What is wrong with <paramref name="address"/> as <c>host:port[,host:port...][,serviceName=NAME]</c>, each
    /// problem naming <paramref name="setting"/>; empty when it is usable (for a command-line flag; the gateway's
    /// config validates the same forms with its own <c>RedisAddress</c>).
    /// </summary>
    public static IReadOnlyList<string> Validate(string address, string setting)
    {
        ArgumentNullException.ThrowIfNull(address);
        var errors = new List<string>();
        int endpoints = 0;
        foreach (string part in address.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("serviceName=", StringComparison.OrdinalIgnoreCase))
            {
                if (part.Length == "serviceName=".Length)
                {
                    errors.Add($"{setting}: serviceName= needs the Sentinel service (master) name");
                }
            }
            else if (!IsHostPort(part))
            {
                errors.Add($"{setting}: '{(part.Length <= 80 ? part : part[..80] + "...")}' is not HOST:PORT (port 1-65535); the forms are HOST:PORT, several cluster seeds, or sentinels with serviceName=NAME");
            }
            else
            {
                endpoints++;
            }
        }

        if (endpoints == 0 && errors.Count == 0)
        {
            errors.Add($"{setting}: no address: give host:port (a cluster: several seed nodes; sentinels: their addresses and serviceName=NAME)");
        }

        return errors;
    }

    private static bool IsHostPort(string endpoint)
    {
        int colon = endpoint.LastIndexOf(':');
        string host = colon > 0 ? endpoint[..colon].Trim('[', ']') : "";
        return host.Length > 0 && !host.Contains(' ', StringComparison.Ordinal)
            && int.TryParse(endpoint.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port)
            && port is >= 1 and <= 65535;
    }

    /// <summary>Options for <paramref name="address"/>; <paramref name="clientName"/> is what <c>CLIENT LIST</c> shows.</summary>
    public static ConfigurationOptions Options(string address, string clientName = DefaultClientName)
    {
        var options = ConfigurationOptions.Parse(address);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = 1000;
        options.SyncTimeout = 1000;
        options.AsyncTimeout = 1000;
        options.ConnectRetry = 1;
        options.ReconnectRetryPolicy = new LinearRetry(250);
        options.HeartbeatInterval = TimeSpan.FromMilliseconds(250);
        options.ClientName = clientName;
        if (options.ServiceName is not null)
        {
            // Ask the sentinels again soon after a primary is lost rather than waiting for their announcement only.
            options.ConfigCheckSeconds = 1;
        }

        return options;
    }

    /// <summary>
    /// Connects synchronously, for start-up (returns even when Redis is down; the client keeps trying).
    /// Throws <see cref="RedisSetupException"/> when what answers cannot be used as configured: sentinels that
    /// do not monitor the service, a data node given as a sentinel, a sentinel given as a data node.
    /// </summary>
    public static ConnectionMultiplexer Connect(string address, TextWriter? log = null, string clientName = DefaultClientName)
    {
        var options = Options(address, clientName);
        if (options.ServiceName is not null)
        {
            VerifySentinels(options);
        }

        ConnectionMultiplexer connection;
        try
        {
            connection = ConnectionMultiplexer.Connect(options, log);
        }
        catch (RedisConnectionException e) when (options.ServiceName is not null)
        {
            throw new RedisSetupException($"redis: sentinel service '{options.ServiceName}' at {string.Join(',', options.EndPoints)}: {e.Message}", e);
        }

        if (options.ServiceName is null && !connection.IsConnected)
        {
            // The data client cannot finish its handshake with a sentinel: nothing connected may be an outage or a
            // sentinel's address. Only a sentinel answers the sentinel command set.
            using var probe = ConnectionMultiplexer.Connect(SentinelProbe(options));
            if (probe.GetServers().FirstOrDefault(s => s.IsConnected && s.ServerType == ServerType.Sentinel) is { } sentinel)
            {
                connection.Dispose();
                throw new RedisSetupException($"redis: {Format(sentinel.EndPoint)} is a Sentinel: add serviceName=NAME (the name it monitors the primary under), or give the Redis server's own address");
            }
        }

        return connection;
    }

    /// <summary>
    /// Asks the sentinels that answer whether they monitor the service: none answering is an outage (start anyway,
    /// the client keeps trying); answering without knowing it, or not being a sentinel, is a setting that cannot work.
    /// </summary>
    private static void VerifySentinels(ConfigurationOptions options)
    {
        using var sentinels = ConnectionMultiplexer.Connect(SentinelProbe(options));
        bool answered = false;
        foreach (var server in sentinels.GetServers().Where(s => s.IsConnected))
        {
            if (server.ServerType != ServerType.Sentinel)
            {
                throw new RedisSetupException($"redis: {Format(server.EndPoint)} is not a Sentinel (it is a Redis {server.ServerType.ToString().ToLowerInvariant()} node): " +
                    "with serviceName= list the sentinels' addresses; for a server or a cluster drop serviceName=");
            }

            try
            {
                answered = true;
                if (server.SentinelGetMasterAddressByName(options.ServiceName!) is not null)
                {
                    return;
                }
            }
            catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
            {
                answered = false;
            }
        }

        if (answered)
        {
            throw new RedisSetupException($"redis: the sentinels at {string.Join(',', options.EndPoints.Select(Format))} do not monitor a service named '{options.ServiceName}' " +
                "(SENTINEL MASTERS on a sentinel lists the names it knows)");
        }
    }

    private static ConfigurationOptions SentinelProbe(ConfigurationOptions options)
    {
        var probe = new ConfigurationOptions
        {
            CommandMap = CommandMap.Sentinel,
            AbortOnConnectFail = false,
            ConnectTimeout = options.ConnectTimeout,
            SyncTimeout = options.SyncTimeout,
            ConnectRetry = 1,
            TieBreaker = "",
            ClientName = options.ClientName,
        };
        foreach (var endpoint in options.EndPoints)
        {
            probe.EndPoints.Add(endpoint);
        }

        return probe;
    }

    private static string Format(System.Net.EndPoint endpoint) => endpoint switch
    {
        System.Net.IPEndPoint ip => ip.ToString(),
        System.Net.DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => endpoint.ToString() ?? "",
    };

    /// <summary>Connects (returns even when Redis is down; the client keeps trying).</summary>
    public static async Task<ConnectionMultiplexer> ConnectAsync(string address, TextWriter? log = null)
    {
        var options = Options(address);
        try
        {
            return await ConnectionMultiplexer.ConnectAsync(options, log).ConfigureAwait(false);
        }
        catch (RedisConnectionException e) when (options.ServiceName is not null)
        {
            throw new RedisSetupException($"redis: sentinel service '{options.ServiceName}' at {string.Join(',', options.EndPoints)}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Whether a primary answers now: a <c>PING</c> that only a primary may take. In a Redis Cluster every
    /// primary the client knows must answer (a slot without one can't admit anyone).
    /// </summary>
    public static async Task<bool> PrimaryAnswersAsync(IConnectionMultiplexer connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!connection.IsConnected)
        {
            return false;
        }

        try
        {
            if (connection.GetServers().FirstOrDefault(s => s.IsConnected && s.ServerType == ServerType.Cluster) is { } node)
            {
                // The cluster's view as the client last read it: the primaries that own slots now (a killed primary stays in the
                // client's list after its replica took over, but owns no slot any more). Each must answer.
                var nodes = node.ClusterConfiguration; // kept current by the client (it follows MOVED and lost nodes)
                var owners = nodes?.Nodes.Where(n => !n.IsReplica && n.Slots.Count > 0).ToArray() ?? [];
                if (owners.Length == 0 || owners.Any(n => Flags(n.Raw).Contains("fail", StringComparison.Ordinal)))
                {
                    return false; // a slot whose primary is down and not replaced yet
                }

                foreach (var owner in owners)
                {
                    await connection.GetServer(owner.EndPoint!).PingAsync(CommandFlags.DemandMaster).ConfigureAwait(false);
                }

                return true;
            }

            await connection.GetDatabase().PingAsync(CommandFlags.DemandMaster).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException or RedisServerException or ArgumentException or NotSupportedException)
        {
            return false;
        }
    }

    private static string Flags(string raw)
    {
        string[] parts = raw.Split(' ');
        return parts.Length > 2 ? parts[2] : "";
    }
}

/// <summary>A Redis setting that cannot work (the gateway and the controller manager exit 2 with the message).</summary>
public sealed class RedisSetupException(string message, Exception? inner = null) : Exception(message, inner);
