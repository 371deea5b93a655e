using System.Text.Json.Nodes;
using ChatOpsMfa.Arazzo;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;

namespace ChatOpsMfa.Tests.Okta;

/// <summary>
/// Issue 11: the approver's step-up and the containment after a reset are Arazzo workflows like the others, run by our
/// runner; every request they make fits Okta's official description.
/// </summary>
public sealed class StepUpAndContainmentWorkflowDocumentTests : SandboxWorkflowTest
{
    [Fact]
    public async Task Both_documents_load_with_the_workflows_the_bot_runs()
    {
        var workflows = await ResetWorkflows.LoadAsync(ResetWorkflows.DefaultDirectory, Ct);

        Assert.Equal([ResetWorkflows.SendPushWorkflowId, ResetWorkflows.PollPushWorkflowId], workflows.Verification.Workflows.Select(w => w.WorkflowId));
        Assert.Equal([ResetWorkflows.RevokeSessionsWorkflowId, ResetWorkflows.ReadSystemLogWorkflowId], workflows.Containment.Workflows.Select(w => w.WorkflowId));
    }

    [Theory]
    [InlineData(true, "SUCCESS")]
    [InlineData(false, "REJECTED")]
    public async Task A_push_is_sent_to_the_approvers_factor_and_its_transaction_polled_until_the_device_decides(bool approve, string result)
    {
        var workflows = await ResetWorkflows.LoadAsync(ResetWorkflows.DefaultDirectory, Ct);
        var runner = new ArazzoWorkflowRunner(Http);
        var options = new WorkflowRunOptions { ServerUrl = Sandbox.BaseUrl };
        var bob = OktaSandboxSeed.BobId;
        var push = Sandbox.FactorsOf(bob)!.Single(f => f.FactorType == "push").Id;
        Sandbox.ClearRequests();

        var sent = await runner.RunAsync(workflows.Verification, ResetWorkflows.SendPushWorkflowId, new Dictionary<string, JsonNode?>
        {
            ["oktaApiToken"] = Sandbox.Token, ["userId"] = bob, ["factorId"] = push, ["userAgent"] = OktaStepUpRunner.UserAgent,
        }, options, Ct);
        Assert.True(sent.Succeeded, sent.Failure?.Message);
        Assert.Equal("WAITING", sent.Outputs["factorResult"]!.GetValue<string>());
        var challenge = Assert.Single(Sandbox.PendingPushChallenges);
        Assert.EndsWith("/transactions/" + challenge.TransactionId, sent.Outputs["pollLink"]!.GetValue<string>(), StringComparison.Ordinal);

        JsonNode? Poll() => runner.RunAsync(workflows.Verification, ResetWorkflows.PollPushWorkflowId, new Dictionary<string, JsonNode?>
        {
            ["oktaApiToken"] = Sandbox.Token, ["userId"] = bob, ["factorId"] = push, ["transactionId"] = challenge.TransactionId,
        }, options, Ct).GetAwaiter().GetResult().Outputs["factorResult"];

        Assert.Equal("WAITING", Poll()!.GetValue<string>());
        Assert.True(approve ? Sandbox.ApprovePushChallenge(bob, challenge.TransactionId) : Sandbox.RejectPushChallenge(bob, challenge.TransactionId));
        Assert.Equal(result, Poll()!.GetValue<string>());

        var validator = await OktaRequestValidator.ForOfficialDescriptionAsync();
        Assert.Equal(["verifyFactor", "getFactorTransactionStatus", "getFactorTransactionStatus"], Sandbox.Requests.Select(r => r.OperationId));
        Assert.Equal(OktaStepUpRunner.UserAgent, Sandbox.Requests[0].Header("User-Agent"));
        foreach (var request in Sandbox.Requests)
        {
            Assert.Empty(await validator.ValidateAsync(request));
        }
    }

    [Fact]
    public async Task Sessions_are_revoked_with_oauth_tokens_and_the_system_log_is_read_by_actor_and_time()
    {
        var workflows = await ResetWorkflows.LoadAsync(ResetWorkflows.DefaultDirectory, Ct);
        var runner = new ArazzoWorkflowRunner(Http);
        var options = new WorkflowRunOptions { ServerUrl = Sandbox.BaseUrl };
        var alice = OktaSandboxSeed.AliceId;
        Sandbox.AddLogEvent(new SandboxLogEntry("user.session.access_admin_app", alice, "User accessed Okta admin app") { Country = "Germany" });
        Sandbox.AddLogEvent(new SandboxLogEntry("user.session.access_admin_app", OktaSandboxSeed.BobId, "User accessed Okta admin app"));
        Sandbox.ClearRequests();

        var revoked = await runner.RunAsync(workflows.Containment, ResetWorkflows.RevokeSessionsWorkflowId,
            new Dictionary<string, JsonNode?> { ["oktaApiToken"] = Sandbox.Token, ["userId"] = alice }, options, Ct);
        Assert.True(revoked.Succeeded, revoked.Failure?.Message);
        Assert.True(Assert.Single(Sandbox.SessionRevocations(alice)).OAuthTokens);

        var now = Clock.GetUtcNow();
        var read = await runner.RunAsync(workflows.Containment, ResetWorkflows.ReadSystemLogWorkflowId, new Dictionary<string, JsonNode?>
        {
            ["oktaApiToken"] = Sandbox.Token,
            ["since"] = now.AddMinutes(-1).ToString("O"),
            ["until"] = now.AddMinutes(1).ToString("O"),
            ["filter"] = OktaContainmentRunner.UserFilter("actor.id", alice),
        }, options, Ct);
        Assert.True(read.Succeeded, read.Failure?.Message);
        var events = SystemLogEvent.ReadAll(read.Outputs["events"]);
        var admin = Assert.Single(events, e => e.EventType == "user.session.access_admin_app");
        Assert.Equal(alice, admin.ActorId);
        Assert.Equal("Germany", admin.Country);
        Assert.All(events, e => Assert.Equal(alice, e.ActorId));

        var validator = await OktaRequestValidator.ForOfficialDescriptionAsync();
        Assert.Equal(["revokeUserSessions", "listLogEvents"], Sandbox.Requests.Select(r => r.OperationId));
        Assert.Contains("oauthTokens=true", Sandbox.Requests[0].PathAndQuery, StringComparison.Ordinal);
        foreach (var request in Sandbox.Requests)
        {
            Assert.Empty(await validator.ValidateAsync(request));
        }
    }

    [Theory]
    [InlineData("00u1\" or actor.id sw \"")]
    [InlineData("")]
    public void A_filter_value_that_is_not_an_okta_id_is_refused_before_it_reaches_the_expression(string id) =>
        Assert.Throws<ArgumentException>(() => OktaContainmentRunner.UserFilter("actor.id", id));
}
