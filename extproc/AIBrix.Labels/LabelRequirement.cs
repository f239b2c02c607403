using System.Collections.Frozen;

namespace AIBrix.Labels;

/// <summary>One condition of a <see cref="LabelSelector"/>: a key, an operator and the values it compares with.</summary>
public sealed class LabelRequirement
{
    private readonly FrozenSet<string> _set;

    private LabelRequirement(string key, LabelOperator @operator, string[] values)
    {
        Key = key;
        Operator = @operator;
        Values = values;
        _set = values.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>The label key.</summary>
    public string Key { get; }

    /// <summary>The test.</summary>
    public LabelOperator Operator { get; }

    /// <summary>The values, in ordinal order: one for (not) equals, at least one for (not) in, none for (does not) exist.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>
    /// Builds a requirement, checking its structure: a non-empty key, and a number of values that suits the operator
    /// (one for equals and not equals, at least one for in and not in, none for exists and does not exist). Keys and
    /// values are taken as data, not re-validated as label syntax: the API server validates the objects they come
    /// from, and a value that is no valid label value (a model name with a <c>/</c>) then simply matches no label.
    /// The string form checks syntax as it parses (<see cref="LabelSelector.TryParse"/>).
    /// </summary>
    public static bool TryCreate(string key, LabelOperator @operator, IEnumerable<string>? values, out LabelRequirement? requirement, out string? error)
    {
        requirement = null;
        string[] list = values?.ToArray() ?? [];
        error = (@operator, list.Length) switch
        {
            _ when string.IsNullOrEmpty(key) => "a requirement needs a key",
            (LabelOperator.Equals or LabelOperator.NotEquals, not 1) => $"'{key}': {@operator} takes exactly one value",
            (LabelOperator.In or LabelOperator.NotIn, 0) => $"'{key}': {@operator} needs at least one value",
            (LabelOperator.Exists or LabelOperator.DoesNotExist, > 0) => $"'{key}': {@operator} takes no values",
            (< LabelOperator.Equals or > LabelOperator.DoesNotExist, _) => $"'{key}': unknown operator {@operator}",
            _ when list.Any(v => v is null) => $"'{key}': a value is null",
            _ => null,
        };
        if (error is not null)
        {
            return false;
        }

        Array.Sort(list, StringComparer.Ordinal);
        requirement = new LabelRequirement(key, @operator, list.Distinct(StringComparer.Ordinal).ToArray());
        return true;
    }

    /// <summary>
    /// Builds a requirement from a Kubernetes <c>matchExpressions</c> entry, whose operator is spelled
    /// <c>In</c>, <c>NotIn</c>, <c>Exists</c> or <c>DoesNotExist</c>.
    /// </summary>
    public static bool TryFromExpression(string key, string? @operator, IEnumerable<string>? values, out LabelRequirement? requirement, out string? error)
    {
        LabelOperator? op = @operator switch
        {
            "In" => LabelOperator.In,
            "NotIn" => LabelOperator.NotIn,
            "Exists" => LabelOperator.Exists,
            "DoesNotExist" => LabelOperator.DoesNotExist,
            _ => null,
        };
        if (op is null)
        {
            requirement = null;
            error = $"'{key}': '{@operator}' is not a valid operator (In, NotIn, Exists, DoesNotExist)";
            return false;
        }

        return TryCreate(key, op.Value, values, out requirement, out error);
    }

    /// <summary>True when <paramref name="labels"/> satisfy this requirement. As in Kubernetes, not equals and not in also match a missing label.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        bool has = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            LabelOperator.Exists => has,
            LabelOperator.DoesNotExist => !has,
            LabelOperator.Equals or LabelOperator.In => has && _set.Contains(value!),
            _ => !has || !_set.Contains(value!),
        };
    }

    /// <summary>The selector string form: <c>k=v</c>, <c>k!=v</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>, <c>k</c>, <c>!k</c>.</summary>
    public override string ToString() => Operator switch
    {
        LabelOperator.Equals => $"{Key}={Values[0]}",
        LabelOperator.NotEquals => $"{Key}!={Values[0]}",
        LabelOperator.In => $"{Key} in ({string.Join(',', Values)})",
        LabelOperator.NotIn => $"{Key} notin ({string.Join(',', Values)})",
        LabelOperator.Exists => Key,
        _ => "!" + Key,
    };
}
