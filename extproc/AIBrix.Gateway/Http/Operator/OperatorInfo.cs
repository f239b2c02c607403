namespace AIBrix.Gateway.Http.Operator;

/// <summary>What the operator page says of the gateway itself: its mode (<c>extproc</c> or <c>standalone</c>).</summary>
internal sealed record OperatorInfo(string Mode);
