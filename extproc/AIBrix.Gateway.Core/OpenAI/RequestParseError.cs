namespace AIBrix.Gateway.Core.OpenAI;

/// <summary>An expected failure to read an OpenAI request body, worded for the API user.</summary>
/// <param name="Kind">The category of the failure.</param>
/// <param name="Message">A user-facing message, e.g. <c>model is required</c>.</param>
/// <param name="Param">The JSON field at fault (OpenAI's <c>param</c>), or <c>null</c> for the body as a whole.</param>
public sealed record RequestParseError(RequestParseErrorKind Kind, string Message, string? Param)
{
    /// <summary>The OpenAI error <c>type</c> for every parse error.</summary>
    public const string ErrorType = "invalid_request_error";

    /// <summary>Serializes this error as an OpenAI error body (<c>{"error":{...}}</c>).</summary>
    public byte[] ToErrorBody() => OpenAIError.Serialize(Message, ErrorType, Param, Kind switch
    {
        RequestParseErrorKind.EmptyBody or RequestParseErrorKind.MalformedJson or RequestParseErrorKind.NotAnObject => "invalid_json",
        RequestParseErrorKind.MissingModel or RequestParseErrorKind.MissingField => "missing_required_parameter",
        _ => "invalid_value",
    });
}
