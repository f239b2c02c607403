namespace AIBrix.Gateway.Core.Limits;

/// <summary>A user and its budgets, as AIBrix's <c>/CreateUser</c> takes them (<c>{name, rpm, tpm}</c>).</summary>
/// <param name="Name">The user name, sent upstream in the <c>user</c> header.</param>
/// <param name="Rpm">Requests per minute; 0 or less means unlimited.</param>
/// <param name="Tpm">Tokens (prompt + completion) per minute; 0 or less means unlimited.</param>
public sealed record UserRecord(string Name, long Rpm, long Tpm);
