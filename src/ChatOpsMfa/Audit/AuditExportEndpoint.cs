using System.Text.Json;
using ChatOpsMfa.Storage;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Logging;

namespace ChatOpsMfa.Audit;

/// <summary>
/// <c>GET /api/audit?from=&amp;to=&amp;user=&amp;limit=&amp;after=</c>: the audit trail, oldest row first, as JSON or CSV,
/// for holders of an <c>Audit:ApiKeys</c> key.
/// </summary>
internal static class AuditExportEndpoint
{
    public const string Route = "/api/audit";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void Map(IEndpointRouteBuilder app) => app.MapGet(Route, HandleAsync).ExcludeFromDescription();

    private static async Task<IResult> HandleAsync(
        HttpContext context, AuditApiKeyVerifier keys, AuditQuery audit, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(AuditExportEndpoint));
        var request = context.Request;
        var remote = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

        // The key is checked before anything else, so a caller without one learns nothing, not even about parameters.
        var check = keys.Check(request.Headers.Authorization);
        if (!check.Accepted)
        {
            AuditExportLog.Refused(logger, remote, check.Outcome);
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        context.Response.Headers.CacheControl = "no-store";
        var (parameters, problem) = AuditExportParameters.Read(request.Query);
        if (parameters is null)
        {
            AuditExportLog.BadParameter(logger, check.KeyNumber, problem!.Parameter);
            return Results.Problem(
                detail: problem.Message,
                statusCode: StatusCodes.Status400BadRequest,
                title: "Invalid query parameter",
                extensions: new Dictionary<string, object?> { ["parameter"] = problem.Parameter });
        }

        // One row more than asked tells whether another page exists without an empty last page.
        var rows = await audit.PageAsync(parameters.From, parameters.To, parameters.User, parameters.After, parameters.Limit + 1, cancellationToken);
        var items = rows.Take(parameters.Limit).Select(AuditExportItem.From).ToList();
        var next = rows.Count > parameters.Limit ? items[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        if (next is not null)
        {
            context.Response.Headers["X-Next-Cursor"] = next;
            context.Response.Headers.Link = $"<{NextPageUrl(request, next)}>; rel=\"next\"";
        }

        var csv = AuditExportFormat.PrefersCsv(request);
        AuditExportLog.Exported(logger, items.Count, csv ? "CSV" : "JSON", check.KeyNumber, remote);
        return csv
            ? Results.Text(AuditCsvWriter.Write(items), AuditCsvWriter.ContentType)
            : Results.Json(new AuditExportPage(items, next), Json);
    }

    /// <summary>The same query with <c>after</c> moved on, relative to the host.</summary>
    private static string NextPageUrl(HttpRequest request, string next)
    {
        var query = new QueryBuilder(request.Query
            .Where(p => p.Key != AuditExportParameters.AfterName)
            .Select(p => KeyValuePair.Create(p.Key, p.Value.ToString())));
        query.Add(AuditExportParameters.AfterName, next);
        return request.PathBase.Add(request.Path).ToUriComponent() + query.ToQueryString().ToUriComponent();
    }
}
