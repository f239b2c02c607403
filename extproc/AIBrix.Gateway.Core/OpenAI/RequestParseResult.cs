using System.Diagnostics.CodeAnalysis;

namespace AIBrix.Gateway.Core.OpenAI;

/// <summary>The outcome of <see cref="OpenAIRequestParser"/>: a request or an error, never both.</summary>
public readonly struct RequestParseResult : IEquatable<RequestParseResult>
{
    private RequestParseResult(OpenAIRequest? request, RequestParseError? error)
    {
        Request = request;
        Error = error;
    }

    /// <summary>The parsed request when <see cref="IsSuccess"/>.</summary>
    public OpenAIRequest? Request { get; }

    /// <summary>Why parsing failed when not <see cref="IsSuccess"/>.</summary>
    public RequestParseError? Error { get; }

    /// <summary><c>true</c> when <see cref="Request"/> is set.</summary>
    [MemberNotNullWhen(true, nameof(Request))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Request is not null;

    /// <summary>A successful result.</summary>
    public static RequestParseResult Success(OpenAIRequest request) =>
        new(request ?? throw new ArgumentNullException(nameof(request)), null);

    /// <summary>A failed result.</summary>
    public static RequestParseResult Failure(RequestParseError error) =>
        new(null, error ?? throw new ArgumentNullException(nameof(error)));

    /// <inheritdoc />
    public bool Equals(RequestParseResult other) => ReferenceEquals(Request, other.Request) && Equals(Error, other.Error);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RequestParseResult other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Request, Error);

    /// <summary>Equality operator.</summary>
    public static bool operator ==(RequestParseResult left, RequestParseResult right) => left.Equals(right);

    /// <summary>Inequality operator.</summary>
    public static bool operator !=(RequestParseResult left, RequestParseResult right) => !left.Equals(right);
}
