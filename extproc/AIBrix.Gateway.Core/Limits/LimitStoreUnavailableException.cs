namespace AIBrix.Gateway.Core.Limits;

/// <summary>The shared store (Redis) could not be reached; the limiter applies its failure mode.</summary>
public sealed class LimitStoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LimitStoreUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public LimitStoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception around the store client's failure.</summary>
    public LimitStoreUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
