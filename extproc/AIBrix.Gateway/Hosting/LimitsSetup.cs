using AIBrix.Gateway.Core.Config;
using AIBrix.Gateway.Core.Limits;
using AIBrix.Gateway.Http;
using AIBrix.Gateway.Observability;
using AIBrix.Gateway.Redis;
using AIBrix.Redis;
using StackExchange.Redis;

namespace AIBrix.Gateway.Hosting;

/// <summary>Users, API keys and limits: in Redis when the config names one, else in memory (one replica).</summary>
internal static partial class LimitsSetup
{
    public static IServiceCollection AddGatewayLimits(this IServiceCollection services, GatewayConfig config)
    {
        if (config.Redis is { } redis)
        {
            // Connected here, at start-up: connecting inside the first requests' service resolution would
            // block their threads on I/O that needs the thread pool. The factory form lets the container dispose it.
            ConnectionMultiplexer connection;
            try
            {
                connection = RedisConnector.Connect(redis);
            }
            catch (RedisSetupException e)
            {
                throw new UnusableStartupException(e.Message, e);
            }

            services.AddSingleton<IConnectionMultiplexer>(_ => connection);
            services.AddSingleton(sp => new RedisReadiness(sp.GetRequiredService<IConnectionMultiplexer>()));
            services.AddSingleton<IUserStore>(sp => new RedisUserStore(sp.GetRequiredService<IConnectionMultiplexer>()));
            services.AddSingleton<ILimitStore>(sp => new RedisLimitStore(sp.GetRequiredService<IConnectionMultiplexer>()));
        }
        else
        {
            services.AddSingleton<InMemoryUserStore>();
            services.AddSingleton<IUserStore>(sp => sp.GetRequiredService<InMemoryUserStore>());
            services.AddSingleton<ILimitStore>(sp => new InMemoryLimitStore(sp.GetRequiredService<InMemoryUserStore>(), sp.GetRequiredService<TimeProvider>()));
        }

        services.AddSingleton(sp => new LimitMetrics(sp.GetRequiredService<GatewayMetrics>()));
        services.AddSingleton(sp => new RequestLimiter(
            sp.GetRequiredService<IUserStore>(),
            sp.GetRequiredService<ILimitStore>(),
            config.Auth,
            config.Limits,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<RequestLimiter>(),
            sp.GetRequiredService<LimitMetrics>()));
        return services;
    }

    /// <summary>Says at start-up how users are identified and where limits live.</summary>
    public static void LogLimits(WebApplication app, GatewayConfig config)
    {
        var options = app.Services.GetRequiredService<AdminOptions>();
        if (config.Auth.Mode == AuthMode.None)
        {
            Log.AuthNone(app.Logger);
        }
        else
        {
            Log.AuthApiKey(app.Logger, config.Auth.EnforceInExtProc);
        }

        Log.Store(app.Logger, config.Redis ?? "in memory (this replica only)", config.Limits.FailureMode);
        if (options.Token is null)
        {
            Log.AdminWithoutToken(app.Logger, options.InsecureLoopback ? "answers loopback clients only" : "is disabled");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "auth: none: the 'user' request header is trusted as sent by the client (set auth.mode: apikey to require API keys)")]
        public static partial void AuthNone(ILogger logger);

        [LoggerMessage(2, LogLevel.Information, "auth: apikey (checked by ext_authz, and by ext_proc too: {InExtProc})")]
        public static partial void AuthApiKey(ILogger logger, bool inExtProc);

        [LoggerMessage(3, LogLevel.Information, "limits: users, keys and counters in {Store}; failure mode {Mode}")]
        public static partial void Store(ILogger logger, string store, LimitFailureMode mode);

        [LoggerMessage(4, LogLevel.Warning, "no admin token (--admin-token / AIBRIX_ADMIN_TOKEN): the users and keys admin API {State}")]
        public static partial void AdminWithoutToken(ILogger logger, string state);
    }
}
