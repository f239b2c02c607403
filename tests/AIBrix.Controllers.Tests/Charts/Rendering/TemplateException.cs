namespace AIBrix.Controllers.Tests.Charts.Rendering;

/// <summary>
/// A template that does not parse or fails while executing, with its place: what <c>helm template</c> would refuse.
/// <c>fail</c> and <c>required</c> land here with their message, as Helm's "execution error at (file:line): message".
/// </summary>
internal sealed class TemplateException(string message) : Exception(message)
{
    public static TemplateException At(string template, int line, string message) => new($"execution error at ({template}:{line}): {message}");
}
