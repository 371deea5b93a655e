using System.Text.Json.Nodes;
using ChatOpsMfa.Arazzo;
using ChatOpsMfa.Okta;

namespace ChatOpsMfa.Requests;

/// <summary>
/// Runs the reset-and-enrol workflow for one request through the Arazzo runner, against the configured Okta,
/// and turns the run into an <see cref="OktaRunOutcome"/> people can read.
/// </summary>
public sealed class OktaResetRunner(
    ResetWorkflows workflows, IHttpClientFactory httpClients, OktaEndpoint endpoint, TimeProvider time)
{
    /// <summary>The seed's step ids: the workflow's contract with the request's states.</summary>
    public const string ResetStepId = "resetFactors";
    public const string EnrollStepId = "enrollFactor";

    public async Task<OktaRunOutcome> RunAsync(
        ResetRequest request,
        string? startAtStepId,
        Func<StepAttempt, CancellationToken, Task> onStepStarting,
        Func<StepResult, CancellationToken, Task> onStepCompleted,
        CancellationToken cancellationToken)
    {
        var (document, workflowId) = workflows.For(request.Factor);
        var inputs = new Dictionary<string, JsonNode?>
        {
            ["oktaApiToken"] = endpoint.ApiToken,
            ["userId"] = request.Target.OktaUserId,
            ["factorType"] = request.Factor.FactorType,
            ["provider"] = request.Factor.Provider,
        };
        if (Profile(request.Factor) is { } profile)
        {
            inputs["profile"] = profile;
        }

        var runner = new ArazzoWorkflowRunner(httpClients.CreateClient(OktaClient.HttpClientName), time);
        var run = await runner.RunAsync(document, workflowId, inputs, new WorkflowRunOptions
        {
            ServerUrl = endpoint.BaseUrl,
            StartAtStepId = startAtStepId,
            OnStepStarting = onStepStarting,
            OnStepCompleted = onStepCompleted,
        }, cancellationToken);

        if (!run.Succeeded)
        {
            var failure = run.Failure!;
            var problem = failure.StatusCode is { } failedStatus
                ? OktaError.FromResponse(failedStatus, failure.ResponseBody).Message
                : failure.Message;
            return OktaRunOutcome.Failure(problem, outcomeKnown: failure.StatusCode is not null || failure.Kind != WorkflowFailureKind.Transport);
        }

        var enrol = run.Steps.LastOrDefault(s => s.StepId == EnrollStepId);
        var factorId = run.Outputs.GetValueOrDefault("factorId")?.ToString();
        if (enrol is null || string.IsNullOrEmpty(factorId))
        {
            return OktaRunOutcome.Failure("Okta's answer to the enrolment had no factor id.", outcomeKnown: true);
        }

        var status = enrol.Outputs.GetValueOrDefault("factorStatus")?.ToString() ?? "UNKNOWN";
        return OktaRunOutcome.Success(new EnrollmentResult(factorId, status), Activation(enrol.ResponseBody));
    }

    internal static JsonObject? Profile(FactorRequest factor) =>
        factor.PhoneNumber is { } phone ? new JsonObject { ["phoneNumber"] = phone }
        : factor.Email is { } email ? new JsonObject { ["email"] = email }
        : null;

    private static EnrollmentActivation Activation(JsonNode? body)
    {
        var activation = body?["_embedded"]?["activation"];
        var secret = activation?["sharedSecret"]?.GetValue<string>();
        var qr = activation?["_links"]?["qrcode"]?["href"]?.GetValue<string>();
        return new EnrollmentActivation(secret, Uri.TryCreate(qr, UriKind.Absolute, out var uri) ? uri : null);
    }
}
