using System.Text.Json.Nodes;
using ChatOpsMfa.Arazzo;
using ChatOpsMfa.Okta;

namespace ChatOpsMfa.Requests;

/// <summary>
/// The approver's step-up, through the Arazzo document <c>okta-approver-verification</c>: find their active Okta
/// Verify push factor, send a push to it, and ask what became of it. Only the transaction id is taken from Okta's poll
/// link (checked to be the push's own transaction path); the link itself is never followed.
/// </summary>
public sealed class OktaStepUpRunner(
    ResetWorkflows workflows, IHttpClientFactory httpClients, OktaEndpoint endpoint, Func<OktaClient> oktaClients, TimeProvider time)
{
    /// <summary>What the bot calls itself in the User-Agent Okta requires for a push verification.</summary>
    public const string UserAgent = "ChatOpsMfa/1.0 (approver step-up)";

    /// <summary>The approver's ACTIVE Okta Verify push factor id; null with the reason when there is none or Okta could not say.</summary>
    public async Task<(string? FactorId, string? Problem)> FindPushFactorAsync(string oktaUserId, CancellationToken cancellationToken)
    {
        var factors = await oktaClients().ListFactorsAsync(oktaUserId, cancellationToken);
        if (!factors.IsSuccess)
        {
            return (null, $"Okta could not list your factors ({factors.Error.Message})");
        }

        var push = factors.Value.FirstOrDefault(f => f.FactorType == "push" && f.Provider == "OKTA" && f.Status == "ACTIVE");
        return push is null
            ? (null, "you have no active Okta Verify push factor in Okta, so your own MFA cannot confirm the decision")
            : (push.Id, null);
    }

    /// <summary>Sends the push; Waiting with the transaction to poll, or Failed.</summary>
    public async Task<StepUpCall> SendAsync(StepUp stepUp, CancellationToken cancellationToken)
    {
        var run = await RunAsync(ResetWorkflows.SendPushWorkflowId, stepUp, new() { ["userAgent"] = UserAgent }, cancellationToken);
        if (!run.Succeeded)
        {
            return Failure(run);
        }

        var link = run.Outputs.GetValueOrDefault("pollLink")?.ToString();
        return TransactionIdOf(link, stepUp) is { } transactionId
            ? new StepUpCall(StepUpAnswer.Waiting, transactionId)
            : new StepUpCall(StepUpAnswer.Failed, Problem: "Okta's answer had no poll link for this push");
    }

    /// <summary>Asks what became of the push.</summary>
    public async Task<StepUpCall> PollAsync(StepUp stepUp, CancellationToken cancellationToken)
    {
        var run = await RunAsync(ResetWorkflows.PollPushWorkflowId, stepUp, new() { ["transactionId"] = stepUp.TransactionId }, cancellationToken);
        if (!run.Succeeded)
        {
            return Failure(run);
        }

        return run.Outputs.GetValueOrDefault("factorResult")?.ToString() switch
        {
            "SUCCESS" => new StepUpCall(StepUpAnswer.Success, stepUp.TransactionId),
            "REJECTED" => new StepUpCall(StepUpAnswer.Rejected, stepUp.TransactionId),
            "TIMEOUT" => new StepUpCall(StepUpAnswer.TimedOut, stepUp.TransactionId),
            "WAITING" => new StepUpCall(StepUpAnswer.Waiting, stepUp.TransactionId),
            var other => new StepUpCall(StepUpAnswer.Failed, stepUp.TransactionId, $"Okta answered the push with '{other}'"),
        };
    }

    /// <summary>The last segment of <c>…/users/{userId}/factors/{factorId}/transactions/{id}</c> on the org's own origin.</summary>
    internal string? TransactionIdOf(string? link, StepUp stepUp)
    {
        if (!Uri.TryCreate(link, UriKind.Absolute, out var uri) ||
            Uri.Compare(uri, endpoint.BaseUrl, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
        {
            return null;
        }

        var prefix = $"/api/v1/users/{stepUp.OktaUserId}/factors/{stepUp.FactorId}/transactions/";
        var path = uri.AbsolutePath;
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var id = path[prefix.Length..];
        return id.Length is > 0 and <= 128 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_') ? id : null;
    }

    private async Task<WorkflowRunResult> RunAsync(string workflowId, StepUp stepUp, Dictionary<string, JsonNode?> extra, CancellationToken cancellationToken)
    {
        var inputs = new Dictionary<string, JsonNode?>(extra)
        {
            ["oktaApiToken"] = endpoint.ApiToken,
            ["userId"] = stepUp.OktaUserId,
            ["factorId"] = stepUp.FactorId,
        };
        var runner = new ArazzoWorkflowRunner(httpClients.CreateClient(OktaClient.HttpClientName), time);
        return await runner.RunAsync(workflows.Verification, workflowId, inputs, new WorkflowRunOptions { ServerUrl = endpoint.BaseUrl }, cancellationToken);
    }

    private static StepUpCall Failure(WorkflowRunResult run) =>
        new(StepUpAnswer.Failed, Problem: run.Failure is { StatusCode: { } status } failure
            ? OktaError.FromResponse(status, failure.ResponseBody).Message
            : run.Failure?.Message ?? "the workflow failed");
}
