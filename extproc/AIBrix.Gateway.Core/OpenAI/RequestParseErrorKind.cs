namespace AIBrix.Gateway.Core.OpenAI;

/// <summary>Why a request body was rejected; every kind maps to HTTP 400.</summary>
public enum RequestParseErrorKind
{
    /// <summary>The body is empty or only whitespace.</summary>
    EmptyBody,

    /// <summary>The body is not valid JSON (or nests deeper than the reader allows).</summary>
    MalformedJson,

    /// <summary>The body is valid JSON but not an object.</summary>
    NotAnObject,

    /// <summary><c>model</c> is absent, null or empty.</summary>
    MissingModel,

    /// <summary>The field that carries the prompt (<c>messages</c>, <c>prompt</c>, <c>input</c>) is absent.</summary>
    MissingField,

    /// <summary>A known field has the wrong type or an out-of-range value.</summary>
    InvalidField,
}
