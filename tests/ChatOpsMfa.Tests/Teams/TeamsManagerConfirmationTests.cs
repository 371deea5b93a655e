using System.Text.Json.Nodes;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Channels.Teams;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Tests.Cards;
using ChatOpsMfa.Tests.Teams.Fakes;
using Microsoft.Extensions.DependencyInjection;
using static ChatOpsMfa.Tests.Teams.TeamsStepUpSteps;
using static ChatOpsMfa.Tests.Teams.TeamsUsers;

namespace ChatOpsMfa.Tests.Teams;

/// <summary>
/// Issue 11's manager confirmation in Teams: the target's manager (Okta <c>managerId</c>, found among the Teams members
/// the bot knows by the address Microsoft gives for them) gets a private card in their 1:1 chat with the bot, and their
/// Confirm or Report, clicked there, reaches the request.
/// </summary>
public sealed class TeamsManagerConfirmationTests : IAsyncLifetime
{
    private FakeBotFramework _fake = null!;

    private static string DaveChat => "a:1on1-" + Dave.MemberId;

    public async ValueTask InitializeAsync()
    {
        _fake = await FakeBotFramework.StartAsync();
        _fake.BotFrameworkKeys.Add(new TestSigningKey("bf-key-1", "msteams"));
    }

    public async ValueTask DisposeAsync() => await _fake.DisposeAsync();

    private static Dictionary<string, string?> Required() => Settings(("Approvals:ManagerConfirmation", "Required"));

    [Fact]
    public async Task The_manager_gets_the_card_in_their_1to1_chat_and_Confirm_there_completes_the_approval()
    {
        AddPeople(_fake, Everyone);
        using var host = new TeamsTestHost(_fake, Required());
        var request = await AskAsync(host, Alice);

        // The card went to Dave's 1:1 chat, opened with his 29: id in the pinned tenant, with Universal Actions.
        var posted = await TeamsActivationSteps.WaitForAsync(host, request.Id, r => r.ManagerCard is not null, "the manager's card");
        Assert.Equal(DaveChat, posted.ManagerCard!.Conversation.ConversationId);
        var opened = Assert.Single(_fake.ConnectorCalls, c => c.Method == "POST" && c.Path == "/v3/conversations"
            && c.Json["members"]![0]!["id"]!.GetValue<string>() == Dave.MemberId);
        Assert.Equal(FakeBotFramework.TenantId, opened.Json["tenantId"]!.GetValue<string>());
        var card = TeamsActivationSteps.CardNow(host, posted.ManagerCard);
        AdaptiveCardSchema.Validate(card);
        var text = Shown(card);
        Assert.Contains("Please confirm: an MFA reset for Alice Example", text, StringComparison.Ordinal);
        Assert.Contains("in person or on a video call", text, StringComparison.Ordinal);
        var actions = Actions(card);
        Assert.Equal(["confirmManager", "reportManager"], actions.Select(a => a["verb"]!.GetValue<string>()));
        Assert.All(actions, a => Assert.Equal("Action.Execute", a["type"]!.GetValue<string>()));

        // Bob approves with his Okta Verify; the approval then waits for Dave.
        await ClickAsync(host, Bob, request, "approve");
        await AcceptPushAsync(host, OktaSandboxSeed.BobId);
        await ThreadLineAsync(host, request, "Waiting for Dave Manager, Alice Example's manager, to confirm");
        Assert.False(ResetAtOkta(host));

        // Dave clicks Confirm in his 1:1 chat: the refreshed card comes back in the invoke response, and the reset runs.
        var confirmed = await TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(Dave, TeamsActivities.Direct(Dave), "confirmManager",
            new JsonObject { ["verb"] = "confirmManager", ["requestId"] = request.Id }, host.ServiceUrl, posted.ManagerCard.MessageId));

        Assert.Equal("application/vnd.microsoft.card.adaptive", confirmed["type"]!.GetValue<string>());
        var refreshed = confirmed["value"]!.AsObject();
        AdaptiveCardSchema.Validate(refreshed);
        Assert.Contains("You confirmed it is Alice Example", Shown(refreshed), StringComparison.Ordinal);
        Assert.Empty(Actions(refreshed));
        var enrolled = await TeamsActivationSteps.WaitForAsync(host, request.Id,
            r => r.State == RequestState.AwaitingActivation && r.KeyMessage is not null, "the key card");
        Assert.Equal(RequestState.AwaitingActivation, enrolled.State);
        Assert.True(ResetAtOkta(host));
        await ThreadLineAsync(host, request, "Dave Manager, Alice Example's manager, confirmed it is them");
    }

    [Fact]
    public async Task Report_by_the_manager_cancels_the_request_with_a_warning_in_the_thread()
    {
        AddPeople(_fake, Everyone);
        using var host = new TeamsTestHost(_fake, Required());
        var request = await AskAsync(host, Alice);
        var posted = await TeamsActivationSteps.WaitForAsync(host, request.Id, r => r.ManagerCard is not null, "the manager's card");

        var reported = await TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(Dave, TeamsActivities.Direct(Dave), "reportManager",
            new JsonObject { ["verb"] = "reportManager", ["requestId"] = request.Id }, host.ServiceUrl, posted.ManagerCard!.MessageId));

        Assert.Equal("application/vnd.microsoft.card.adaptive", reported["type"]!.GetValue<string>());
        Assert.Empty(Actions(reported["value"]!.AsObject()));
        var line = await ThreadLineAsync(host, request, "Cancelled: Dave Manager, Alice Example's manager, reported this request");
        Assert.StartsWith("\u26a0\ufe0f", line, StringComparison.Ordinal);
        Assert.Equal(RequestState.Cancelled, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);
        Assert.False(ResetAtOkta(host));
    }

    [Fact]
    public async Task Someone_else_clicking_Confirm_on_the_managers_card_decides_nothing()
    {
        AddPeople(_fake, Everyone);
        using var host = new TeamsTestHost(_fake, Required());
        var request = await AskAsync(host, Alice);
        await TeamsActivationSteps.WaitForAsync(host, request.Id, r => r.ManagerCard is not null, "the manager's card");

        // Bob replays the manager's button from his own 1:1 chat.
        await TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(Bob, TeamsActivities.Direct(Bob), "confirmManager",
            new JsonObject { ["verb"] = "confirmManager", ["requestId"] = request.Id }, host.ServiceUrl));

        var stored = (await host.Store.FindAsync(request.Id, CancellationToken.None))!;
        Assert.Null(stored.Manager!.ConfirmedAt);
        Assert.DoesNotContain(stored.Decisions, d => d.Action == RequestTrigger.ConfirmManager);
    }

    /// <summary>
    /// A manager's click still being handled when Teams' deadline comes is answered from the stored request: with the
    /// manager's own card, never the requester's status card (which would show the manager someone else's view).
    /// </summary>
    [Fact]
    public async Task A_slow_Confirm_is_answered_in_time_with_the_managers_card_as_stored()
    {
        AddPeople(_fake, Everyone);
        using var host = new TeamsTestHost(_fake, Required(), services: s =>
            s.AddSingleton<IInboundHandler>(sp => new SlowManagerClicks(ActivatorUtilities.CreateInstance<MfaResetBot>(sp))));
        var request = await AskAsync(host, Alice);
        var posted = await TeamsActivationSteps.WaitForAsync(host, request.Id, r => r.ManagerCard is not null, "the manager's card");

        var answered = await TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(Dave, TeamsActivities.Direct(Dave), "confirmManager",
            new JsonObject { ["verb"] = "confirmManager", ["requestId"] = request.Id }, host.ServiceUrl, posted.ManagerCard!.MessageId));

        Assert.Equal("application/vnd.microsoft.card.adaptive", answered["type"]!.GetValue<string>());
        Assert.Contains("Please confirm: an MFA reset for Alice Example", Shown(answered), StringComparison.Ordinal);
        await TeamsActivationSteps.WaitForAsync(host, request.Id, r => r.Manager?.ConfirmedAt is not null, "the confirmation, after the answer");
    }

    /// <summary>The bot, slower than Teams waits (4 s) for a manager's click.</summary>
    private sealed class SlowManagerClicks(IInboundHandler inner) : IInboundHandler
    {
        public async Task<InboundResult> HandleAsync(IChatChannel channel, InboundMessage message, CancellationToken cancellationToken)
        {
            if (message.Value?["verb"]?.ToString() is "confirmManager")
            {
                await Task.Delay(TeamsActivityDispatcher.AnswerWithin + TimeSpan.FromSeconds(1), cancellationToken);
            }

            return await inner.HandleAsync(channel, message, cancellationToken);
        }
    }

    [Fact]
    public async Task A_manager_the_bot_does_not_know_in_Teams_blocks_the_request_with_the_reason_on_the_card()
    {
        AddPeople(_fake, Alice, Bob, Carol, Erin); // Dave is not in the team and never wrote to the bot
        using var host = new TeamsTestHost(_fake, Required());
        var request = await AskAsync(host, Alice);

        await Eventually.WaitUntilAsync(() => ApprovalCardNow(host, request).Contains("Blocked:", StringComparison.Ordinal), "the blocked approval card");
        Assert.Contains("could not be found in chat by their email", ApprovalCardNow(host, request), StringComparison.Ordinal);
        Assert.DoesNotContain(_fake.ConnectorCalls, c => c.Method == "POST" && c.Path == "/v3/conversations");

        var clicked = await ClickAsync(host, Bob, request, "approve");

        Assert.DoesNotContain("Waiting for Bob Helper", Shown(clicked), StringComparison.Ordinal);
        Assert.Empty(OktaOf(host).PendingPushChallenges);
        Assert.False(ResetAtOkta(host));
        Assert.Equal(RequestState.AwaitingApproval, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);
    }

    /// <summary>The card's buttons wherever they sit (an ActionSet or the card's actions), not their fallbacks.</summary>
    private static List<JsonObject> Actions(JsonNode? node)
    {
        var found = new List<JsonObject>();
        switch (node)
        {
            case JsonObject obj:
                if (obj["type"] is JsonValue type && type.ToString().StartsWith("Action.", StringComparison.Ordinal) && obj["verb"] is not null)
                {
                    found.Add(obj);
                }

                foreach (var (name, child) in obj)
                {
                    if (name != "fallback")
                    {
                        found.AddRange(Actions(child));
                    }
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    found.AddRange(Actions(child));
                }

                break;
        }

        return found;
    }
}
