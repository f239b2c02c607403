namespace AIBrix.Runtime.Artifacts.Inventory;

/// <summary>Measures how much of a file sits in the operating system's page cache.</summary>
public interface IPageCacheProbe
{
    /// <summary>The probe's name in reports (<c>mincore</c>); <c>unavailable</c> when it measures nothing.</summary>
    string Name { get; }

    /// <summary>Bytes of <paramref name="path"/> (of <paramref name="length"/> bytes) resident in memory; null when unknown.</summary>
    long? ResidentBytes(string path, long length);
}

/// <summary>The probe where none works: residency unknown, every artifact reported on disk.</summary>
public sealed class NoPageCacheProbe : IPageCacheProbe
{
    /// <inheritdoc/>
    public string Name => "unavailable";

    /// <inheritdoc/>
    public long? ResidentBytes(string path, long length) => null;
}
