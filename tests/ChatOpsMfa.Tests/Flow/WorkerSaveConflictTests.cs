using System.Text.Json.Nodes;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;
using Microsoft.Extensions.DependencyInjection;
using static ChatOpsMfa.Tests.Flow.FlowHost;

namespace ChatOpsMfa.Tests.Flow;

/// <summary>
/// While the worker does a request's Okta work, the outbox (delivering in the background) may record where it posted
/// a card, bumping the request's version. The worker's next save takes that over and goes on; any other change while
/// the work runs is refused.
/// </summary>
public class WorkerSaveConflictTests : FlowTestsOnEitherStore
{
    [Fact]
    public async Task A_card_location_recorded_mid_reset_does_not_stop_the_worker_and_it_resets_and_enrols_once()
    {
        var gate = new OktaResetGate();
        using var host = NewHost(services: gate.Install);
        var (request, chatHeld) = await ApproveWhileTheCardsAreUnpostedAsync(host);

        // The chat platform answers: the outbox posts the cards and records where, while the reset is still held.
        chatHeld.Dispose();
        await gate.Entered.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await Eventually.WaitUntilAsync(() => Stored(host, request.Id) is { ApprovalMessage: not null, StatusMessage: not null },
            "the outbox to record where it posted the cards");
        var recorded = Stored(host, request.Id)!;
        Assert.Equal(RequestState.ResettingFactors, recorded.State);

        gate.Release();
        var done = await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);

        Assert.Single(host.Okta.Requests, r => r.OperationId == "resetFactors");
        var factor = Assert.Single(host.Okta.FactorsOf(OktaSandboxSeed.AliceId)!);
        Assert.Equal(factor.Id, done.Result!.FactorId);
        Assert.Equal(recorded.ApprovalMessage, done.ApprovalMessage);
        Assert.Equal(recorded.StatusMessage, done.StatusMessage);
        var audit = await host.Store.AuditTrailAsync(request.Id, CancellationToken.None);
        Assert.Single(audit, a => a.Action == "ResetSucceeded");
        Assert.Single(audit, a => a.Action == "EnrollSucceeded");
        Assert.DoesNotContain(host.Logs.Lines, l => l.Text.Contains("changed while its Okta work was running", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_state_change_by_anyone_else_mid_reset_is_refused_and_nothing_is_enrolled()
    {
        var gate = new OktaResetGate();
        using var host = NewHost(services: gate.Install);
        var (request, chatHeld) = await ApproveWhileTheCardsAreUnpostedAsync(host);
        chatHeld.Dispose();
        await gate.Entered.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        // Something other than this worker moves the request on (a second worker, a hand edit) while the reset runs.
        var other = (await host.Store.FindAsync(request.Id, CancellationToken.None))!;
        Assert.True(other.ResetSucceeded(host.Services.GetRequiredService<TimeProvider>().GetUtcNow()).Succeeded);
        Assert.Equal(ChatOpsMfa.Storage.SaveOutcome.Saved, await host.Store.SaveAsync(other, CancellationToken.None));

        gate.Release();
        await Eventually.WaitUntilAsync(
            () => host.Logs.Lines.Any(l => l.Text.Contains($"Request {request.Number} changed while its Okta work was running", StringComparison.Ordinal)),
            "the worker to refuse the change");

        Assert.DoesNotContain(host.Okta.Requests, r => r.OperationId == "enrollFactor");
        Assert.Empty(host.Okta.FactorsOf(OktaSandboxSeed.AliceId)!);
        Assert.Equal(RequestState.EnrollingFactor, Stored(host, request.Id)!.State);
        var audit = await host.Store.AuditTrailAsync(request.Id, CancellationToken.None);
        Assert.Single(audit, a => a.Action == "ResetSucceeded");
    }

    /// <summary>
    /// Alice asks and Bob approves while the chat platform holds every call, so no card is posted yet; returns once
    /// the worker has saved the request as resetting (its copy is now at that version).
    /// </summary>
    private static async Task<(ResetRequest Request, IDisposable ChatHeld)> ApproveWhileTheCardsAreUnpostedAsync(FlowHost host)
    {
        var held = host.Chat.Hold();
        await host.Bot.HandleAsync(host.Chat, new Channels.InboundMessage(host.DirectWith(Alice), Alice, null,
            new JsonObject { ["verb"] = "submitRequest", ["factor"] = "token:software:totp|GOOGLE" }, "submit-1"), CancellationToken.None);
        var request = await host.OnlyRequestAsync();
        await host.Bot.HandleAsync(host.Chat, new Channels.InboundMessage(host.Chat.SupportConversation, Bob, null,
            new JsonObject { ["verb"] = "approve", ["requestId"] = request.Id }, "click-1"), CancellationToken.None);
        await host.WaitForAsync(request.Id, RequestState.ResettingFactors);
        Assert.Null(Stored(host, request.Id)!.ApprovalMessage);
        return (request, held);
    }

    private static ResetRequest? Stored(FlowHost host, string requestId) =>
        host.Store.FindAsync(requestId, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Holds the bot's reset_factors call to Okta (before it reaches the sandbox) until released.</summary>
    private sealed class OktaResetGate
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public void Release() => _released.TrySetResult();

        public void Install(IServiceCollection services) =>
            services.AddHttpClient("Okta").AddHttpMessageHandler(() => new Handler(this));

        private sealed class Handler(OktaResetGate gate) : DelegatingHandler
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                if (request.RequestUri?.AbsolutePath.EndsWith("/lifecycle/reset_factors", StringComparison.Ordinal) == true)
                {
                    gate._entered.TrySetResult();
                    await gate._released.Task.WaitAsync(cancellationToken);
                }

                return await base.SendAsync(request, cancellationToken);
            }
        }
    }
}
