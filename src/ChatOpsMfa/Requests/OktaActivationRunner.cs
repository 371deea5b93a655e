using System.Text.Json.Nodes;
using ChatOpsMfa.Arazzo;
using ChatOpsMfa.Okta;

namespace ChatOpsMfa.Requests;

/// <summary>
/// Runs the activation document's workflows (activate, poll, resend, remove) for a request's pending factor through
/// the Arazzo runner, and says what Okta answered in the request's terms. The code typed goes to Okta and nowhere else.
/// </summary>
public sealed class OktaActivationRunner(ResetWorkflows workflows, IHttpClientFactory httpClients, OktaEndpoint endpoint, TimeProvider time)
{
    /// <summary>Activates the pending factor with <paramref name="passCode"/>.</summary>
    public async Task<ActivationCall> ActivateAsync(ResetRequest request, string passCode, CancellationToken cancellationToken)
    {
        var run = await RunAsync(ResetWorkflows.ActivateWorkflowId, request, new() { ["passCode"] = passCode }, cancellationToken);
        if (run.Succeeded)
        {
            return IsActive(run.Outputs.GetValueOrDefault("factorStatus")) ? ActivationCall.Active : ActivationCall.Pending;
        }

        var error = ErrorOf(run);
        return error?.IsInvalidPasscode == true
            ? new ActivationCall(ActivationAnswer.WrongCode, error.Message)
            : Failure(run, error);
    }

    /// <summary>Asks whether an Okta Verify push factor was scanned: Active, Pending (WAITING), or Ended with Okta's factorResult.</summary>
    public async Task<ActivationCall> PollAsync(ResetRequest request, CancellationToken cancellationToken)
    {
        var run = await RunAsync(ResetWorkflows.PollWorkflowId, request, [], cancellationToken);
        if (!run.Succeeded)
        {
            return Failure(run, ErrorOf(run));
        }

        if (IsActive(run.Outputs.GetValueOrDefault("factorStatus")))
        {
            return ActivationCall.Active;
        }

        var result = run.Outputs.GetValueOrDefault("factorResult")?.ToString();
        return result switch
        {
            null or "WAITING" => ActivationCall.Pending,
            "TIMEOUT" => new ActivationCall(ActivationAnswer.Ended, "nobody scanned the QR code with Okta Verify before Okta's activation expired"),
            // Okta's UserFactorActivatePushResult: a device that says no ends the activation CANCELLED (REJECTED is a verify result).
            "REJECTED" or "CANCELLED" => new ActivationCall(ActivationAnswer.Ended, "the Okta Verify activation was rejected on the device"),
            _ => new ActivationCall(ActivationAnswer.Ended, $"Okta ended the Okta Verify activation ({result})"),
        };
    }

    /// <summary>Asks Okta to send a new SMS, call or email code to where the first one went.</summary>
    public async Task<ActivationCall> ResendAsync(ResetRequest request, CancellationToken cancellationToken)
    {
        if (OktaResetRunner.Profile(request.Factor) is not { } profile)
        {
            return new ActivationCall(ActivationAnswer.Failed, "There is no phone number or email to send a new code to.");
        }

        var run = await RunAsync(ResetWorkflows.ResendWorkflowId, request, new()
        {
            ["factorType"] = request.Factor.FactorType,
            ["provider"] = request.Factor.Provider,
            ["profile"] = profile,
        }, cancellationToken);
        return run.Succeeded ? ActivationCall.Pending : Failure(run, ErrorOf(run));
    }

    /// <summary>Deletes <paramref name="factorId"/> (the request's pending factor unless named); already gone counts as removed.</summary>
    public async Task<ActivationCall> RemoveAsync(ResetRequest request, string? factorId, CancellationToken cancellationToken)
    {
        var run = await RunAsync(ResetWorkflows.RemoveWorkflowId, request, [], cancellationToken, factorId);
        return run.Succeeded ? ActivationCall.Pending : Failure(run, ErrorOf(run));
    }

    private async Task<WorkflowRunResult> RunAsync(
        string workflowId, ResetRequest request, Dictionary<string, JsonNode?> extra, CancellationToken cancellationToken, string? factorId = null)
    {
        var inputs = new Dictionary<string, JsonNode?>(extra)
        {
            ["oktaApiToken"] = endpoint.ApiToken,
            ["userId"] = request.Target.OktaUserId,
            ["factorId"] = factorId ?? request.Result?.FactorId
                ?? throw new InvalidOperationException($"Request {request.Number} has no enrolled factor to {workflowId}."),
        };
        var runner = new ArazzoWorkflowRunner(httpClients.CreateClient(OktaClient.HttpClientName), time);
        return await runner.RunAsync(workflows.Activation, workflowId, inputs, new WorkflowRunOptions { ServerUrl = endpoint.BaseUrl }, cancellationToken);
    }

    private static OktaError? ErrorOf(WorkflowRunResult run) =>
        run.Failure is { StatusCode: { } status } failure ? OktaError.FromResponse(status, failure.ResponseBody) : null;

    private static ActivationCall Failure(WorkflowRunResult run, OktaError? error) =>
        new(ActivationAnswer.Failed, error?.Message ?? run.Failure!.Message,
            OutcomeKnown: error is not null || run.Failure!.Kind != WorkflowFailureKind.Transport);

    private static bool IsActive(JsonNode? status) => string.Equals(status?.ToString(), "ACTIVE", StringComparison.OrdinalIgnoreCase);
}
