using ChatOpsMfa.Channels;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Tests.Flow;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsMfa.Tests.Requests;

/// <summary>
/// Issue 11, point 5: with <c>Identity:Binding=OktaAttribute</c> a chat user maps to an Okta user only through the
/// Okta profile attribute that holds their immutable chat id, found with Okta's user search; never by email.
/// </summary>
public sealed class IdentityBindingTests
{
    private static FlowHost Host() => new(new Dictionary<string, string?>
    {
        ["Identity:Binding"] = "OktaAttribute",
        ["Identity:SlackUserIdAttribute"] = "slackUserId",
        ["Identity:TeamsObjectIdAttribute"] = "entraObjectId",
    });

    private static ChatUser Slack(string id, string? email = null) => new(id, "someone", email) { Channel = "slack" };

    [Fact]
    public async Task The_okta_user_holding_the_chat_id_in_the_attribute_is_the_one_and_the_card_says_how()
    {
        using var host = Host();
        host.Okta.SetProfileAttribute(OktaSandboxSeed.AliceId, "slackUserId", "U0ALICE001");
        var resolver = host.Services.GetRequiredService<IdentityResolver>();

        var match = await resolver.IdentifyAsync(Slack("U0ALICE001"), CancellationToken.None);

        Assert.Equal(OktaSandboxSeed.AliceId, match.Target!.OktaUserId);
        Assert.Equal("Slack user id U0ALICE001 = Okta profile.slackUserId", match.How);
        var search = Assert.Single(host.Okta.Requests, r => r.OperationId == "listUsers");
        Assert.Contains("search=", search.PathAndQuery, StringComparison.Ordinal);
        Assert.Empty(await (await ChatOpsMfa.Tests.Okta.OktaRequestValidator.ForOfficialDescriptionAsync()).ValidateAsync(search));
    }

    [Fact]
    public async Task A_matching_email_is_not_enough_there_is_no_email_fallback()
    {
        using var host = Host();
        // The org's profile schema has the attribute (Okta refuses a search on one it lacks); Alice's is not this id.
        host.Okta.SetProfileAttribute(OktaSandboxSeed.BobId, "slackUserId", "U0BOB00001");
        var resolver = host.Services.GetRequiredService<IdentityResolver>();

        var match = await resolver.IdentifyAsync(Slack("U0NOBODY01", "alice@example.com"), CancellationToken.None);

        Assert.Null(match.Target);
        Assert.Equal("no Okta account has your Slack user id in profile.slackUserId", match.Problem);
        Assert.DoesNotContain(host.Okta.Requests, r => r.OperationId == "getUser");
    }

    [Fact]
    public async Task Two_okta_users_claiming_one_chat_id_are_refused_not_guessed()
    {
        using var host = Host();
        host.Okta.SetProfileAttribute(OktaSandboxSeed.AliceId, "slackUserId", "U0SHARED01");
        host.Okta.SetProfileAttribute(OktaSandboxSeed.BobId, "slackUserId", "U0SHARED01");
        var resolver = host.Services.GetRequiredService<IdentityResolver>();

        var match = await resolver.IdentifyAsync(Slack("U0SHARED01"), CancellationToken.None);

        Assert.Null(match.Target);
        Assert.Contains("more than one Okta account", match.Problem);
    }

    [Fact]
    public async Task A_chat_id_cannot_change_the_search_expression()
    {
        using var host = Host();
        host.Okta.SetProfileAttribute(OktaSandboxSeed.BobId, "slackUserId", "U0BOB00001");
        var resolver = host.Services.GetRequiredService<IdentityResolver>();

        var match = await resolver.IdentifyAsync(Slack("x\" or profile.login eq \"bob@example.com"), CancellationToken.None);

        Assert.Null(match.Target);
    }

    [Fact]
    public async Task A_platform_without_a_configured_attribute_identifies_nobody()
    {
        using var host = Host();
        var resolver = host.Services.GetRequiredService<IdentityResolver>();

        var match = await resolver.IdentifyAsync(new ChatUser("alice", "Alice", "alice@example.com") { Channel = "local" }, CancellationToken.None);

        Assert.Null(match.Target);
        Assert.Contains("none is configured for this chat platform", match.Problem);
    }

    [Theory]
    [InlineData("Identity:SlackUserIdAttribute", "slack user id")]
    [InlineData("Identity:SlackUserIdAttribute", "profile.slackUserId")]
    public void A_bad_attribute_name_stops_startup_naming_the_key(string key, string value)
    {
        using var host = new FlowHost(new Dictionary<string, string?> { ["Identity:Binding"] = "OktaAttribute", [key] = value });

        var error = Assert.ThrowsAny<Exception>(() => host.Services);

        Assert.Contains("Identity:SlackUserIdAttribute", error.ToString());
    }

    [Fact]
    public void Attribute_binding_without_any_attribute_stops_startup()
    {
        using var host = new FlowHost(new Dictionary<string, string?> { ["Identity:Binding"] = "OktaAttribute" });

        var error = Assert.ThrowsAny<Exception>(() => host.Services);

        Assert.Contains("Identity:Binding=OktaAttribute needs Identity:SlackUserIdAttribute or Identity:TeamsObjectIdAttribute", error.ToString());
    }
}
