using System.Text.Json;
using AIBrix.Gateway.Core.Processing;

namespace AIBrix.Gateway.Http.Operator;

/// <summary><c>/debug/decisions</c>: each kept decision with the parts of its choice, newest first.</summary>
internal static class DecisionJson
{
    public static void Write(Utf8JsonWriter w, IReadOnlyList<RoutingDecision> decisions, int matched, int kept)
    {
        w.WriteStartObject();
        w.WriteNumber("kept", kept);
        w.WriteNumber("matched", matched);
        w.WriteStartArray("decisions");
        foreach (var d in decisions)
        {
            w.WriteStartObject();
            w.WriteString("at", d.At);
            w.WriteString("requestId", d.RequestId);
            w.WriteString("model", d.Model);
            w.WriteString("user", d.User);
            w.WriteString("strategy", d.Strategy);
            w.WriteString("endpoint", d.Endpoint);
            w.WriteString("reason", d.Reason);
            w.WriteString("outcome", d.Outcome?.ToString().ToLowerInvariant());
            w.WriteNumber("status", d.Status);
            w.WriteNumber("candidates", d.Candidates);
            w.WriteNumber("load", d.Load);
            Number(w, "matchedBlocks", d.MatchedBlocks);
            Number(w, "promptBlocks", d.PromptBlocks);
            Number(w, "costSeconds", d.Cost);
            w.WriteStartObject("scoreParts");
            foreach (var (scorer, share) in d.ScoreParts)
            {
                w.WriteNumber(scorer, Math.Round(share, 4));
            }

            w.WriteEndObject();
            w.WriteString("fallback", d.Fallback);
            w.WriteNumber("attempts", d.Attempts);
            Number(w, "ttftMs", d.TimeToFirstToken * 1000);
            Number(w, "promptTokens", d.PromptTokens);
            Number(w, "completionTokens", d.CompletionTokens);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            w.WriteNumber(name, Math.Round(v, 4));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
