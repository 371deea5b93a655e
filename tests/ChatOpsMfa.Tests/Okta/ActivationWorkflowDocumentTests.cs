using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ChatOpsMfa.Arazzo;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;

namespace ChatOpsMfa.Tests.Okta;

/// <summary>
/// Issue 10, point 10: activation, resend, poll and removal are Arazzo workflows in their own document beside the seed,
/// run by our runner; each request they make fits Okta's official description, and the seed is untouched.
/// </summary>
public sealed class ActivationWorkflowDocumentTests : SandboxWorkflowTest
{
    [Fact]
    public async Task The_activation_document_is_valid_and_beside_the_unchanged_seed()
    {
        var workflows = await ResetWorkflows.LoadAsync(ResetWorkflows.DefaultDirectory, Ct);

        Assert.Equal(
            ["activate-factor", "poll-factor-activation", "resend-enrollment-code", "remove-factor"],
            workflows.Activation.Workflows.Select(w => w.WorkflowId));
        Assert.Equal(
            await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Specs, "seed", ResetWorkflows.SeedFile), Ct),
            await File.ReadAllBytesAsync(Path.Combine(ResetWorkflows.DefaultDirectory, ResetWorkflows.SeedFile), Ct));
    }

    [Fact]
    public async Task Each_workflow_runs_against_okta_as_its_description_says()
    {
        var workflows = await ResetWorkflows.LoadAsync(ResetWorkflows.DefaultDirectory, Ct);
        var validator = await OktaRequestValidator.ForOfficialDescriptionAsync();
        var runner = new ArazzoWorkflowRunner(Http);
        var options = new WorkflowRunOptions { ServerUrl = Sandbox.BaseUrl };
        var user = Sandbox.AddUser("frank@example.com", "Frank", "Tester");
        var sms = await EnrolAsync(user, new JsonObject { ["factorType"] = "sms", ["provider"] = "OKTA", ["profile"] = new JsonObject { ["phoneNumber"] = "+14155550123" } });
        var push = await EnrolAsync(user, new JsonObject { ["factorType"] = "push", ["provider"] = "OKTA" });
        Sandbox.ClearRequests();

        var wrong = await runner.RunAsync(workflows.Activation, ResetWorkflows.ActivateWorkflowId, Inputs(user, sms, ("passCode", "000000")), options, Ct);
        Assert.False(wrong.Succeeded);
        Assert.Equal(403, wrong.Failure!.StatusCode);
        Assert.Equal("E0000068", wrong.Failure.ResponseBody?["errorCode"]?.GetValue<string>());

        var waiting = await runner.RunAsync(workflows.Activation, ResetWorkflows.PollWorkflowId, Inputs(user, push), options, Ct);
        Assert.True(waiting.Succeeded, waiting.Failure?.Message);
        Assert.Equal("WAITING", waiting.Outputs["factorResult"]!.GetValue<string>());
        Assert.True(Sandbox.ApprovePushActivation(user, push));
        var scanned = await runner.RunAsync(workflows.Activation, ResetWorkflows.PollWorkflowId, Inputs(user, push), options, Ct);
        Assert.Equal("ACTIVE", scanned.Outputs["factorStatus"]!.GetValue<string>());

        var removed = await runner.RunAsync(workflows.Activation, ResetWorkflows.RemoveWorkflowId, Inputs(user, sms), options, Ct);
        Assert.True(removed.Succeeded, removed.Failure?.Message);
        var again = await runner.RunAsync(workflows.Activation, ResetWorkflows.RemoveWorkflowId, Inputs(user, sms), options, Ct);
        Assert.True(again.Succeeded, "a factor already gone counts as removed");
        Assert.Equal(404, again.Outputs["removedStatus"]!.GetValue<int>());
        Assert.DoesNotContain(Sandbox.FactorsOf(user)!, f => f.Id == sms);

        Assert.All(Sandbox.Requests, r => Assert.Equal("SSWS " + Sandbox.Token, r.Header("Authorization")));
        foreach (var request in Sandbox.Requests)
        {
            Assert.Empty(await validator.ValidateAsync(request));
        }
    }

    [Fact]
    public async Task A_resend_asks_okta_for_a_new_code_with_the_factors_profile()
    {
        var workflows = await ResetWorkflows.LoadAsync(ResetWorkflows.DefaultDirectory, Ct);
        var runner = new ArazzoWorkflowRunner(Http);
        var user = Sandbox.AddUser("grace@example.com", "Grace", "Tester");
        var email = await EnrolAsync(user, new JsonObject { ["factorType"] = "email", ["provider"] = "OKTA", ["profile"] = new JsonObject { ["email"] = "grace@example.com" } });
        Clock.Advance(TimeSpan.FromSeconds(6)); // Okta sends one email per address every 5 s
        Sandbox.ClearRequests();

        var run = await runner.RunAsync(workflows.Activation, ResetWorkflows.ResendWorkflowId, Inputs(user, email,
            ("factorType", "email"), ("provider", "OKTA"), ("profile", new JsonObject { ["email"] = "grace@example.com" })),
            new WorkflowRunOptions { ServerUrl = Sandbox.BaseUrl }, Ct);

        Assert.True(run.Succeeded, run.Failure?.Message);
        var sent = Assert.Single(Sandbox.Requests);
        Assert.Equal("resendEnrollFactor", sent.OperationId);
        Assert.Empty(await (await OktaRequestValidator.ForOfficialDescriptionAsync()).ValidateAsync(sent));
        Assert.Equal(2, Sandbox.Inbox.Count(m => m.UserId == user));
    }

    private Dictionary<string, JsonNode?> Inputs(string userId, string factorId, params (string Name, JsonNode? Value)[] extra)
    {
        var inputs = new Dictionary<string, JsonNode?> { ["oktaApiToken"] = Sandbox.Token, ["userId"] = userId, ["factorId"] = factorId };
        foreach (var (name, value) in extra)
        {
            inputs[name] = value;
        }

        return inputs;
    }

    private async Task<string> EnrolAsync(string userId, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/users/{userId}/factors") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("SSWS", Sandbox.Token);
        using var response = await Http.SendAsync(request, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["id"]!.GetValue<string>();
    }
}
