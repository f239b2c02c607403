namespace AIBrix.Labels;

/// <summary>
/// A Kubernetes label selector: requirements that must all hold. Built from the string syntax
/// (<see cref="TryParse"/>: <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>, <c>k</c>,
/// <c>!k</c>, comma-separated) or from <c>matchLabels</c> and <c>matchExpressions</c> (<see cref="TryCreate"/>),
/// evaluated with <see cref="Matches"/> and written back with <see cref="ToString"/> for <c>labelSelector=</c>
/// queries. Keys and values compare case-sensitively. Immutable and safe to share.
/// </summary>
public sealed class LabelSelector
{
    private readonly LabelRequirement[] _requirements;

    private LabelSelector(LabelRequirement[] requirements) => _requirements = requirements;

    /// <summary>The selector with no requirements: it matches every label set (an empty <c>V1LabelSelector</c>).</summary>
    public static LabelSelector Everything { get; } = new([]);

    /// <summary>The requirements, in the order written.</summary>
    public IReadOnlyList<LabelRequirement> Requirements => _requirements;

    /// <summary>True when there are no requirements.</summary>
    public bool IsEverything => _requirements.Length == 0;

    /// <summary>
    /// Parses the string syntax; on failure <paramref name="error"/> says what is wrong. An empty or blank string is
    /// an error here (a header that names a filter must name one); where absence means "everything", as in a
    /// <c>labelSelector=</c> query, check for it first and use <see cref="Everything"/>.
    /// </summary>
    public static bool TryParse(string text, out LabelSelector? selector, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (LabelSelectorParser.TryParse(text, out var requirements, out error))
        {
            selector = new LabelSelector(requirements);
            return true;
        }

        selector = null;
        return false;
    }

    /// <summary>Parses the string syntax; throws <see cref="FormatException"/> with the reason when it is malformed.</summary>
    public static LabelSelector Parse(string text) =>
        TryParse(text, out var selector, out var error) ? selector! : throw new FormatException($"label selector '{text}': {error}");

    /// <summary>
    /// Builds a selector from <c>matchLabels</c> (each an equals requirement) and <c>matchExpressions</c>; both empty
    /// or null gives <see cref="Everything"/>. On failure (an empty key) <paramref name="error"/> says so. Keys and values
    /// are data here, not re-validated as label syntax (see <see cref="LabelRequirement.TryCreate"/>).
    /// </summary>
    public static bool TryCreate(
        IEnumerable<KeyValuePair<string, string>>? matchLabels,
        IEnumerable<LabelRequirement>? matchExpressions,
        out LabelSelector? selector,
        out string? error)
    {
        selector = null;
        var requirements = new List<LabelRequirement>();
        foreach (var (key, value) in (matchLabels ?? []).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!LabelRequirement.TryCreate(key, LabelOperator.Equals, [value], out var requirement, out error))
            {
                return false;
            }

            requirements.Add(requirement!);
        }

        requirements.AddRange(matchExpressions ?? []);
        selector = requirements.Count == 0 ? Everything : new LabelSelector([.. requirements]);
        error = null;
        return true;
    }

    /// <summary>True when every requirement holds for <paramref name="labels"/>.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        foreach (var requirement in _requirements)
        {
            if (!requirement.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The string form, requirements comma-separated in order (empty for <see cref="Everything"/>). It parses back to an
    /// equal selector whenever the keys and values are valid label syntax, as they are in any object the API server took.
    /// </summary>
    public override string ToString() => string.Join(',', _requirements.Select(r => r.ToString()));
}
