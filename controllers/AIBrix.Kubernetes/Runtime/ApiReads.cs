using System.Net;
using k8s.Autorest;

namespace AIBrix.Kubernetes.Runtime;

/// <summary>Reads from the API server where a missing object is an answer, not an error.</summary>
public static class ApiReads
{
    /// <summary>The object <paramref name="read"/> returns, or null when the API server answers 404 Not Found.</summary>
    public static async Task<T?> OrNullAsync<T>(Func<Task<T>> read)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return await read();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
