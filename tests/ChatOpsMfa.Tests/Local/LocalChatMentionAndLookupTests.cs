using ChatOpsMfa.Channels;

namespace ChatOpsMfa.Tests.Local;

/// <summary>What the core asks of every channel for issue 11: mentions that notify people, and users found by email.</summary>
public sealed class LocalChatMentionAndLookupTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Mentions_are_appended_as_at_names_with_a_Bot_Framework_mention_entity_each()
    {
        await using var host = await LocalChatTestHost.StartAsync();
        var (_, bobToken) = await host.Client.GenerateAsync("bob", "support");
        var root = await host.Channel.PostAsync(host.Channel.SupportConversation, new ChatMessage("MFA-0001"), Cancel);

        // "bob" is listed by chat id only (the core knows no name); the page named him Bob. Erin never connected.
        var reminder = new ChatMessage("Still waiting for a decision.", Mentions:
        [
            new ChatUser("bob", "bob") { Channel = "local" },
            new ChatUser("erin", "Erin Desk", "erin@example.com"),
            new ChatUser("bob", "bob"),
        ]);
        var reply = await host.Channel.ReplyInThreadAsync(root, reminder, Cancel);

        var (activities, _) = await host.Client.ReadAsync("support", bobToken);
        var shown = Assert.Single(activities, a => a["id"]!.GetValue<string>() == reply.MessageId);
        Assert.Equal("Still waiting for a decision. @Bob @Erin Desk", shown["text"]!.GetValue<string>());
        var entities = shown["entities"]!.AsArray().Select(e => e!.AsObject()).ToList();
        Assert.Equal(2, entities.Count);
        Assert.All(entities, e => Assert.Equal("mention", e["type"]!.GetValue<string>()));
        Assert.Equal(["bob", "erin"], entities.Select(e => e["mentioned"]!["id"]!.GetValue<string>()));
        Assert.Equal(["@Bob", "@Erin Desk"], entities.Select(e => e["text"]!.GetValue<string>()));
        Assert.All(entities, e => Assert.Contains(e["text"]!.GetValue<string>(), shown["text"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_message_without_mentions_has_no_entities_and_its_text_unchanged()
    {
        await using var host = await LocalChatTestHost.StartAsync();
        var (_, bobToken) = await host.Client.GenerateAsync("bob", "support");

        await host.Channel.PostAsync(host.Channel.SupportConversation, new ChatMessage("Plain line", Mentions: []), Cancel);

        var shown = Assert.Single((await host.Client.ReadAsync("support", bobToken)).Activities);
        Assert.Equal("Plain line", shown["text"]!.GetValue<string>());
        Assert.Null(shown["entities"]);
    }

    [Fact]
    public async Task A_local_email_is_found_as_that_user_with_the_name_their_token_carries()
    {
        await using var host = await LocalChatTestHost.StartAsync();
        await host.Client.StartPersonalAsync("dave");

        var dave = await host.Channel.FindUserByEmailAsync("dave@EXAMPLE.com", Cancel);

        Assert.NotNull(dave);
        Assert.Equal(("dave", "Dave", "dave@example.com", "local"), (dave.Id, dave.Name, dave.Email, dave.Channel));
    }

    [Fact]
    public async Task A_local_user_who_never_connected_is_found_under_their_id()
    {
        await using var host = await LocalChatTestHost.StartAsync();

        var erin = await host.Channel.FindUserByEmailAsync("erin@example.com", Cancel);

        Assert.Equal(("erin", "erin", "erin@example.com"), (erin!.Id, erin.Name, erin.Email));
    }

    [Theory]
    [InlineData("dave@example.org")]
    [InlineData("dave@evil.example.com")]
    [InlineData("dave@example.com.evil.test")]
    [InlineData("@example.com")]
    [InlineData("dave")]
    [InlineData("da ve@example.com")]
    [InlineData("dave@x@example.com")]
    public async Task An_address_outside_the_local_domain_or_not_a_user_id_is_nobody(string email)
    {
        await using var host = await LocalChatTestHost.StartAsync();
        await host.Client.StartPersonalAsync("dave");

        Assert.Null(await host.Channel.FindUserByEmailAsync(email, Cancel));
    }
}
