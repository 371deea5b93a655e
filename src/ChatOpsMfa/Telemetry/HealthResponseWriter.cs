using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatOpsMfa.Telemetry;

/// <summary>
/// The health answer: the overall status and, per check, its status and our own one-line description (never an
/// exception text, which could hold a path, a URL or a token).
/// </summary>
internal static class HealthResponseWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}
