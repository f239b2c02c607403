namespace AIBrix.EngineMetrics;

/// <summary>
/// All samples of one metric family from one parse. Samples and their labels sit in flat arrays that are
/// reused by the next parse into the same <see cref="MetricFamilySet"/>, so read them before parsing again.
/// </summary>
public sealed class MetricFamily
{
    private PrometheusSample[] _samples = new PrometheusSample[4];
    private MetricLabel[] _labels = new MetricLabel[8];
    private int _sampleCount;
    private int _labelCount;

    internal MetricFamily(string name, int generation)
    {
        Name = name;
        Generation = generation;
    }

    /// <summary>Family name as in the <c># TYPE</c> line, or the sample name when there was none.</summary>
    public string Name { get; }

    /// <summary>Declared type; <see cref="MetricType.Untyped"/> when no <c># TYPE</c> line was seen.</summary>
    public MetricType Type { get; internal set; }

    /// <summary>The <c># HELP</c> text (escapes resolved), or null.</summary>
    public string? Help { get; internal set; }

    /// <summary>Samples in the order they appeared.</summary>
    public ReadOnlySpan<PrometheusSample> Samples => _samples.AsSpan(0, _sampleCount);

    internal int Generation { get; private set; }

    internal bool TypeDeclared { get; set; }

    internal int LabelCount => _labelCount;

    /// <summary>The labels of <paramref name="sample"/>, which must come from this family.</summary>
    public ReadOnlySpan<MetricLabel> LabelsOf(in PrometheusSample sample) =>
        _labels.AsSpan(sample.LabelStart, sample.LabelCount);

    /// <summary>The value of label <paramref name="labelName"/> on <paramref name="sample"/>, or null when absent.</summary>
    public string? LabelValue(in PrometheusSample sample, string labelName)
    {
        foreach (ref readonly var label in LabelsOf(sample))
        {
            if (string.Equals(label.Name, labelName, StringComparison.Ordinal))
            {
                return label.Value;
            }
        }

        return null;
    }

    /// <summary>
    /// Label <paramref name="index"/> of the last sample, if it exists: consecutive samples of a family mostly
    /// repeat their labels, so comparing against it is cheaper than hashing into the intern pool.
    /// </summary>
    internal bool TryGetPreviousLabel(int index, out MetricLabel label)
    {
        if (_sampleCount > 0)
        {
            ref readonly var previous = ref _samples[_sampleCount - 1];
            if (index < previous.LabelCount)
            {
                label = _labels[previous.LabelStart + index];
                return true;
            }
        }

        label = default;
        return false;
    }

    /// <summary>The name of the last sample, or null.</summary>
    internal string? PreviousSampleName => _sampleCount > 0 ? _samples[_sampleCount - 1].Name : null;

    internal void Reset(int generation)
    {
        Generation = generation;
        Type = MetricType.Untyped;
        Help = null;
        TypeDeclared = false;
        _sampleCount = 0;
        _labelCount = 0;
    }

    internal void AddLabel(string name, string value)
    {
        if (_labelCount == _labels.Length)
        {
            Array.Resize(ref _labels, _labels.Length * 2);
        }

        _labels[_labelCount++] = new MetricLabel(name, value);
    }

    /// <summary>Drops labels added for a line that turned out malformed.</summary>
    internal void TruncateLabels(int count) => _labelCount = count;

    internal void AddSample(in PrometheusSample sample)
    {
        if (_sampleCount == _samples.Length)
        {
            Array.Resize(ref _samples, _samples.Length * 2);
        }

        _samples[_sampleCount++] = sample;
    }
}
