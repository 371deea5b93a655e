using System.Globalization;
using System.Text.Json.Nodes;
using ChatOpsMfa.Arazzo;
using ChatOpsMfa.Okta;

namespace ChatOpsMfa.Requests;

/// <summary>
/// What follows a reset, through the Arazzo document <c>okta-containment</c>: revoke the person's sessions and OAuth
/// tokens, and read their System Log (for the approval card's risk facts, and during the watch window).
/// </summary>
public sealed class OktaContainmentRunner(ResetWorkflows workflows, IHttpClientFactory httpClients, OktaEndpoint endpoint, TimeProvider time)
{
    /// <summary>Revokes every session and OAuth token of <paramref name="userId"/>; null when done, else why not.</summary>
    public async Task<string?> RevokeSessionsAsync(string userId, CancellationToken cancellationToken)
    {
        var run = await RunAsync(ResetWorkflows.RevokeSessionsWorkflowId, new() { ["userId"] = userId }, cancellationToken);
        return run.Succeeded ? null : Problem(run);
    }

    /// <summary>The System Log events matching <paramref name="filter"/> between two instants, oldest first.</summary>
    public async Task<(IReadOnlyList<SystemLogEvent>? Events, string? Problem)> ReadLogAsync(
        DateTimeOffset since, DateTimeOffset until, string filter, CancellationToken cancellationToken)
    {
        var run = await RunAsync(ResetWorkflows.ReadSystemLogWorkflowId, new()
        {
            ["since"] = Iso(since),
            ["until"] = Iso(until),
            ["filter"] = filter,
        }, cancellationToken);
        return run.Succeeded ? (SystemLogEvent.ReadAll(run.Outputs.GetValueOrDefault("events")), null) : (null, Problem(run));
    }

    /// <summary>A System Log filter matching one Okta user id (checked to be an id, so it cannot change the expression).</summary>
    public static string UserFilter(string field, string oktaUserId) =>
        oktaUserId.All(char.IsAsciiLetterOrDigit) && oktaUserId.Length is > 0 and <= 64
            ? $"{field} eq \"{oktaUserId}\""
            : throw new ArgumentException("Not an Okta user id.", nameof(oktaUserId));

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private async Task<WorkflowRunResult> RunAsync(string workflowId, Dictionary<string, JsonNode?> extra, CancellationToken cancellationToken)
    {
        var inputs = new Dictionary<string, JsonNode?>(extra) { ["oktaApiToken"] = endpoint.ApiToken };
        var runner = new ArazzoWorkflowRunner(httpClients.CreateClient(OktaClient.HttpClientName), time);
        return await runner.RunAsync(workflows.Containment, workflowId, inputs, new WorkflowRunOptions { ServerUrl = endpoint.BaseUrl }, cancellationToken);
    }

    private static string Problem(WorkflowRunResult run) =>
        run.Failure is { StatusCode: { } status } failure
            ? OktaError.FromResponse(status, failure.ResponseBody).Message
            : run.Failure?.Message ?? "the workflow failed";
}
