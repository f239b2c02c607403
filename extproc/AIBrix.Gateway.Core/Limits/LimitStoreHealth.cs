using Microsoft.Extensions.Logging;

namespace AIBrix.Gateway.Core.Limits;

/// <summary>
/// Whether the user and limit stores are believed reachable: the key check, admission and settlement
/// all report each answer and each failure here, so an outage is logged and counted once and its end once.
/// </summary>
internal sealed partial class LimitStoreHealth(LimitFailureMode mode, ILogger logger, ILimitObserver? observer, Func<int> pendingSettlements)
{
    private int _outage;

    /// <summary>True while the store is believed unreachable.</summary>
    public bool InOutage => Volatile.Read(ref _outage) != 0;

    /// <summary>The store answered: an outage, if any, is over.</summary>
    public void Answered()
    {
        if (Volatile.Read(ref _outage) != 0 && Interlocked.Exchange(ref _outage, 0) != 0)
        {
            Log.StoreRecovered(logger, pendingSettlements());
        }
    }

    /// <summary>The store failed a call: counted, and logged when it starts an outage.</summary>
    public void Failed(LimitStoreUnavailableException e)
    {
        observer?.OnStoreError();
        if (Interlocked.Exchange(ref _outage, 1) == 0)
        {
            observer?.OnStoreOutage();
            Log.StoreDown(logger, e.Message, mode);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "limit store unreachable ({Reason}); failing {Mode} until it answers again")]
        public static partial void StoreDown(ILogger logger, string reason, LimitFailureMode mode);

        [LoggerMessage(2, LogLevel.Information, "limit store answers again; {Pending} settlements waiting to be written")]
        public static partial void StoreRecovered(ILogger logger, int pending);
    }
}
