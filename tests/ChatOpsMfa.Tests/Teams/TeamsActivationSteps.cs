using System.Text.Json.Nodes;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Storage;
using ChatOpsMfa.Tests.Teams.Fakes;
using Microsoft.Extensions.DependencyInjection;
using static ChatOpsMfa.Tests.Teams.TeamsUsers;

namespace ChatOpsMfa.Tests.Teams;

/// <summary>
/// The steps the Teams activation tests share, all through <c>/api/messages</c> with signed activities: Alice asks,
/// Bob approves in the support channel, and what the bot sent is read back from the fake Connector.
/// </summary>
internal static class TeamsActivationSteps
{
    public static JsonObject Totp => Form("token:software:totp|GOOGLE");

    public static JsonObject Form(string factor, string? phone = null)
    {
        var form = new JsonObject { ["verb"] = "submitRequest", ["factor"] = factor };
        if (phone is not null)
        {
            form["phoneNumber"] = phone;
        }

        return form;
    }

    /// <summary>Alice asks for <paramref name="form"/>, Bob approves; returns the request once it waits for activation
    /// with its key card and activation card delivered.</summary>
    public static async Task<ResetRequest> EnrolledAsync(TeamsTestHost host, JsonObject form)
    {
        await TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(Alice, TeamsActivities.Personal(Alice), "submitRequest", form, host.ServiceUrl));
        var request = Assert.Single(await host.AllRequestsAsync());
        var pending = await WaitForAsync(host, request.Id, r => r.ApprovalMessage is not null && r.StatusMessage is not null, "the approval and status cards");
        await TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(Bob, TeamsActivities.Channel(), "approve",
            new JsonObject { ["verb"] = "approve", ["requestId"] = request.Id }, host.ServiceUrl, pending.ApprovalMessage!.MessageId));
        return await WaitForAsync(host, request.Id,
            r => r.State == RequestState.AwaitingActivation && r.KeyMessage is not null && r.ActivationMessage is not null,
            "the key card and the activation card");
    }

    /// <summary>Waits (bounded) until the stored request satisfies <paramref name="condition"/>, and returns it.</summary>
    public static async Task<ResetRequest> WaitForAsync(TeamsTestHost host, string requestId, Func<ResetRequest, bool> condition, string what)
    {
        ResetRequest? request = null;
        for (var i = 0; i < 300; i++)
        {
            request = await host.Store.FindAsync(requestId, CancellationToken.None);
            if (request is not null && condition(request))
            {
                return request;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"Timed out waiting for {what}; the request is {request?.State}.");
        return request!;
    }

    public static Task<ResetRequest> WaitForStateAsync(TeamsTestHost host, string requestId, RequestState state) =>
        WaitForAsync(host, requestId, r => r.State == state, state.ToString());

    /// <summary>Waits (bounded) until the outbox owes nothing more: every card, thread line and key removal went out.</summary>
    public static async Task OutboxSettledAsync(TeamsTestHost host)
    {
        var outbox = host.Services.GetRequiredService<Outbox>();
        for (var i = 0; i < 200 && (await outbox.RequestsDueAsync(host.Clock.GetUtcNow(), CancellationToken.None)).Count > 0; i++)
        {
            await Task.Delay(50);
        }
    }

    /// <summary>Alice types <paramref name="code"/> into her activation card and clicks Activate: Teams merges the
    /// input into the action's data beside the verb and request id. Returns the invoke response body.</summary>
    public static Task<JsonObject> EnterCodeAsync(TeamsTestHost host, ResetRequest request, string code) =>
        TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(Alice, TeamsActivities.Personal(Alice), "activate",
            new JsonObject { ["verb"] = "activate", ["requestId"] = request.Id, ["passCode"] = code }, host.ServiceUrl,
            request.ActivationMessage!.MessageId));

    public static Task<JsonObject> ResendAsync(TeamsTestHost host, ResetRequest request) =>
        TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(Alice, TeamsActivities.Personal(Alice), "resendCode",
            new JsonObject { ["verb"] = "resendCode", ["requestId"] = request.Id }, host.ServiceUrl, request.ActivationMessage!.MessageId));

    /// <summary>An approver's click on the approval card (Retry, ...), in the support channel.</summary>
    public static Task<JsonObject> ApproverClickAsync(TeamsTestHost host, ResetRequest request, string verb) =>
        TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(Bob, TeamsActivities.Channel(), verb,
            new JsonObject { ["verb"] = verb, ["requestId"] = request.Id }, host.ServiceUrl, request.ApprovalMessage!.MessageId));

    /// <summary>The card of the activity as the fake Connector now holds it (its send or its last accepted update).</summary>
    public static JsonObject CardNow(TeamsTestHost host, MessageRef message) =>
        TeamsCalls.CardOf(host.Fake.Current(message.MessageId) ?? throw new InvalidOperationException($"Activity {message.MessageId} is not held."))!;

    /// <summary>The code Alice's authenticator app shows now for the key she was shown.</summary>
    public static string TotpCode(TeamsTestHost host, string sharedSecret) => SandboxTotp.Code(sharedSecret, host.Clock.GetUtcNow());

    /// <summary>Sends (POSTs) to a conversation, in order.</summary>
    public static IEnumerable<RecordedCall> Sends(TeamsTestHost host, string conversationId) =>
        host.Fake.ConnectorCalls.Where(c => c.Method == "POST" && c.Path == $"/v3/conversations/{conversationId}/activities");

    /// <summary>The lines posted in the approval card's thread.</summary>
    public static IEnumerable<string> ThreadLines(TeamsTestHost host, ResetRequest request) =>
        Sends(host, $"{SupportChannelId};messageid={request.ApprovalMessage!.MessageId}").Select(c => c.Json["text"]!.GetValue<string>());

    public static OktaSandbox Sandbox(TeamsTestHost host) => host.Services.GetRequiredService<OktaSandbox>();
}
