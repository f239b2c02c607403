namespace AIBrix.Gateway.Core.Limits;

/// <summary>Why an admission was refused.</summary>
public enum AdmissionVerdict
{
    /// <summary>Admitted; the reservation is held.</summary>
    Admitted = 0,

    /// <summary>The user's requests-per-minute window is full.</summary>
    UserRequests = 1,

    /// <summary>The user's tokens-per-minute window can't hold the reservation.</summary>
    UserTokens = 2,

    /// <summary>The model's requests-per-second window is full.</summary>
    ModelRequests = 3,

    /// <summary>The user does not exist.</summary>
    UnknownUser = 4,
}

/// <summary>One admission: who, which model, and how many tokens to reserve.</summary>
/// <param name="ReservationId">Unique id; settlement names it.</param>
/// <param name="User">The user, or null for anonymous traffic (no per-user limits).</param>
/// <param name="Model">The model, for the per-model limit.</param>
/// <param name="ModelRps">The model's requests-per-second limit; 0 for none.</param>
/// <param name="ReservedTokens">Estimated prompt tokens + the output cap.</param>
public readonly record struct AdmissionRequest(string ReservationId, string? User, string Model, long ModelRps, long ReservedTokens);

/// <summary>
/// The store's answer: the verdict and the state of the user's windows after it (limits of 0 mean
/// unlimited, or no user), used for the <c>x-ratelimit-*</c> headers.
/// </summary>
public readonly record struct AdmissionDecision(
    AdmissionVerdict Verdict,
    long RequestLimit,
    long RequestsRemaining,
    TimeSpan RequestsReset,
    long TokenLimit,
    long TokensRemaining,
    TimeSpan TokensReset)
{
    /// <summary>True when admitted.</summary>
    public bool Admitted => Verdict == AdmissionVerdict.Admitted;
}

/// <summary>
/// The final charge of a reservation: <paramref name="ActualTokens"/> replaces <paramref name="ReservedTokens"/>.
/// Applying the same settlement twice has the effect of applying it once, so failed writes can be retried.
/// </summary>
/// <param name="ReservationId">The admission's id.</param>
/// <param name="User">The user charged.</param>
/// <param name="ReservedTokens">What admission reserved.</param>
/// <param name="ActualTokens">What the request really used (0 refunds everything).</param>
public readonly record struct Settlement(string ReservationId, string User, long ReservedTokens, long ActualTokens);

/// <summary>
/// Sliding-window request and token counters. One call per admission checks every limit and, only
/// when all pass, records the request and reserves its tokens, atomically (across replicas too,
/// for the shared store). Failures to reach the store throw <see cref="LimitStoreUnavailableException"/>.
/// </summary>
public interface ILimitStore
{
    /// <summary>Checks and, when admitted, records the request and reserves its tokens.</summary>
    ValueTask<AdmissionDecision> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Replaces a reservation with the real usage (idempotent).</summary>
    ValueTask SettleAsync(Settlement settlement, CancellationToken cancellationToken = default);
}
