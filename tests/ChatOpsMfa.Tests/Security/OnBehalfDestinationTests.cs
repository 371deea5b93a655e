using System.Text.Json.Nodes;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Tests.Flow;
using static ChatOpsMfa.Tests.Flow.FlowHost;

namespace ChatOpsMfa.Tests.Security;

/// <summary>
/// On someone's behalf, an SMS, voice or email factor goes where the target's Okta profile says, never where the help
/// desk types. Asserted on what Okta received (the sandbox's recorded enrol request) and on what people were shown.
/// </summary>
public sealed class OnBehalfDestinationTests
{
    private const string HelpDeskPhone = "+15555550199";
    private static readonly ChatUser Dave = new("dave", "Dave Manager", "dave@example.com");
    private static readonly ChatUser Carol = new("carol", "Carol Admin", "carol@example.com");

    private static FlowHost HelpDeskHost() => new(new Dictionary<string, string?> { ["Approvals:HelpDesk:0"] = Bob.Id });

    private static JsonObject Form(string factor, string draft, string? phone = null, string? email = null)
    {
        var form = new JsonObject { ["verb"] = "submitRequest", ["factor"] = factor, ["onBehalfOf"] = draft };
        if (phone is not null)
        {
            form["phoneNumber"] = phone;
        }

        if (email is not null)
        {
            form["email"] = email;
        }

        return form;
    }

    private static async Task<JsonNode> ApproveAndReadEnrolBodyAsync(FlowHost host, string requestId)
    {
        await host.ClickAsync(Erin, "approve", requestId);
        await host.WaitForAsync(requestId, RequestState.AwaitingActivation);
        var enrol = Assert.Single(host.Okta.Requests, r => r.OperationId == "enrollFactor");
        return JsonNode.Parse(enrol.Body)!;
    }

    [Fact]
    public async Task The_help_desk_cannot_point_a_colleagues_new_SMS_factor_at_its_own_phone()
    {
        using var host = HelpDeskHost();
        var draft = await host.OnBehalfDraftAsync(Bob, Alice);

        await host.SubmitAsync(Bob, Form("sms|OKTA", draft, phone: HelpDeskPhone));

        // Refused, with the reason, before anything exists: no request, no approval card, nothing sent to Okta.
        Assert.Contains("Okta profile", host.Chat.In("dm-bob").Last().Message.Text);
        Assert.Empty(await host.AllRequestsAsync());
        Assert.DoesNotContain(host.Chat.Sent, m => m.Message.Card?.Template == "approval");
        Assert.DoesNotContain(host.Okta.Requests, r => r.Body.Contains("5555550199", StringComparison.Ordinal));
    }

    [Fact]
    public async Task On_behalf_SMS_goes_to_the_mobile_phone_in_the_targets_Okta_profile_and_everyone_sees_it_masked()
    {
        using var host = HelpDeskHost();
        var draft = await host.OnBehalfDraftAsync(Bob, Alice);

        await host.SubmitAsync(Bob, Form("sms|OKTA", draft));
        var request = await host.OnlyRequestAsync();

        var approval = host.Chat.In("support").Last(m => m.Message.Card?.Template == "approval").Visible;
        Assert.Contains("+1 ••• ••• 0101", approval);
        Assert.Contains("mobilePhone in Alice Example's Okta profile", approval);
        var notice = Assert.Single(host.Chat.In("dm-alice")).Visible;
        Assert.Contains("+1 ••• ••• 0101", notice);
        Assert.DoesNotContain(host.Chat.Sent, m => m.Visible.Contains("4155550101", StringComparison.Ordinal));

        var enrol = await ApproveAndReadEnrolBodyAsync(host, request.Id);
        Assert.Equal("+14155550101", enrol["profile"]!["phoneNumber"]!.GetValue<string>());
    }

    [Fact]
    public async Task On_behalf_voice_uses_the_primary_phone_when_the_mobile_phone_is_not_in_international_format()
    {
        // Dave's mobilePhone is Okta's spec example "555-415-1337" (no country code); his primaryPhone is "+1 415 555 0104".
        using var host = HelpDeskHost();
        var draft = await host.OnBehalfDraftAsync(Bob, Dave);

        await host.SubmitAsync(Bob, Form("call|OKTA", draft));
        var request = await host.OnlyRequestAsync();

        Assert.Contains("+1 ••• ••• 0104", Assert.Single(host.Chat.In("dm-dave")).Visible);
        var enrol = await ApproveAndReadEnrolBodyAsync(host, request.Id);
        Assert.Equal("+14155550104", enrol["profile"]!["phoneNumber"]!.GetValue<string>());
    }

    [Fact]
    public async Task On_behalf_SMS_is_refused_when_the_targets_Okta_profile_has_no_usable_phone()
    {
        using var host = HelpDeskHost();
        var draft = await host.OnBehalfDraftAsync(Bob, Carol);

        await host.SubmitAsync(Bob, Form("sms|OKTA", draft));

        var refusal = host.Chat.In("dm-bob").Last().Message.Text;
        Assert.Contains("no mobile or primary phone", refusal);
        Assert.Contains("/mfa-reset themselves", refusal);
        Assert.Empty(await host.AllRequestsAsync());
    }

    [Fact]
    public async Task On_behalf_email_factor_goes_to_the_address_in_the_targets_Okta_profile_never_to_a_typed_one()
    {
        using var host = HelpDeskHost();
        var draft = await host.OnBehalfDraftAsync(Bob, Alice);
        await host.SubmitAsync(Bob, Form("email|OKTA", draft, email: "bob@example.com"));
        Assert.Empty(await host.AllRequestsAsync());

        draft = await host.OnBehalfDraftAsync(Bob, Alice);
        await host.SubmitAsync(Bob, Form("email|OKTA", draft));
        var request = await host.OnlyRequestAsync();

        Assert.Contains("a•••@example.com", host.Chat.In("dm-alice").Single().Visible);
        Assert.Contains("a•••@example.com", host.Chat.In("support").Last(m => m.Message.Card?.Template == "approval").Visible);
        var enrol = await ApproveAndReadEnrolBodyAsync(host, request.Id);
        Assert.Equal("alice@example.com", enrol["profile"]!["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_on_behalf_form_asks_the_help_desk_for_no_phone_number_or_email()
    {
        using var host = HelpDeskHost();
        await host.OnBehalfDraftAsync(Bob, Alice);

        var form = host.Chat.In("dm-bob").Last(m => m.Message.Card?.Template == "request-form");
        Assert.DoesNotContain("\"id\":\"phoneNumber\"", form.Card!.ToJsonString());
        Assert.DoesNotContain("\"id\":\"email\"", form.Card!.ToJsonString());
        Assert.Contains("Okta profile", form.Visible);
    }

    [Fact]
    public async Task A_self_service_number_is_shown_to_approvers_with_whether_Okta_knows_it()
    {
        using var host = new FlowHost();

        await host.SubmitAsync(Alice, new JsonObject { ["verb"] = "submitRequest", ["factor"] = "sms|OKTA", ["phoneNumber"] = "+14155550177" });

        var approval = host.Chat.In("support").Last(m => m.Message.Card?.Template == "approval").Visible;
        Assert.Contains("+1 ••• ••• 0177", approval);
        Assert.Contains("typed by the requester; not a phone in their Okta profile", approval);
    }

    [Fact]
    public async Task A_self_service_number_that_matches_the_Okta_profile_says_so()
    {
        using var host = new FlowHost();

        await host.SubmitAsync(Alice, new JsonObject { ["verb"] = "submitRequest", ["factor"] = "sms|OKTA", ["phoneNumber"] = "+1 415 555 0101" });

        var approval = host.Chat.In("support").Last(m => m.Message.Card?.Template == "approval").Visible;
        Assert.Contains("typed by the requester; matches the mobilePhone in their Okta profile", approval);
    }
}
