using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AIBrix.EngineSim.Http;

/// <summary>Reads a JSON body, answering 400 itself when it is not a JSON object of the expected shape.</summary>
internal static class RequestBody
{
    public static async Task<T?> ReadAsync<T>(HttpContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        T? value = null;
        string problem = "The request body must be a JSON object.";
        try
        {
            value = await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            problem = $"Invalid JSON body: {ex.Message}";
        }

        if (value is null)
        {
            await OpenAiErrors.BadRequestAsync(context, problem, null, "invalid_json");
        }

        return value;
    }
}
