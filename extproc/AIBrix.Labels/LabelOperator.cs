namespace AIBrix.Labels;

/// <summary>How a <see cref="LabelRequirement"/> tests one label.</summary>
public enum LabelOperator
{
    /// <summary><c>k=v</c> or <c>k==v</c>: the label is present with the value.</summary>
    Equals,

    /// <summary><c>k!=v</c>: the label is absent or has another value.</summary>
    NotEquals,

    /// <summary><c>k in (a,b)</c> (matchExpressions <c>In</c>): the label is present with one of the values.</summary>
    In,

    /// <summary><c>k notin (a,b)</c> (<c>NotIn</c>): the label is absent or has none of the values.</summary>
    NotIn,

    /// <summary><c>k</c> (<c>Exists</c>): the label is present.</summary>
    Exists,

    /// <summary><c>!k</c> (<c>DoesNotExist</c>): the label is absent.</summary>
    DoesNotExist,
}
