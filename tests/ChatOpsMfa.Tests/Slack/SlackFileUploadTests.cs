using System.Text.Json.Nodes;
using ChatOpsMfa.Cards;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Channels.Slack;
using ChatOpsMfa.Channels.Slack.BlockKit;
using ChatOpsMfa.Channels.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// A message's image (the QR code) goes to the Slack DM as an uploaded file: files.getUploadURLExternal, the bytes to
/// Slack's upload host and nowhere else, files.completeUploadExternal in the same conversation; RemoveSecretAsync
/// replaces the message and deletes the file.
/// </summary>
public sealed class SlackFileUploadTests
{
    private static readonly ConversationRef AliceDm = new(SlackChatChannel.Id, "DALICE");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static ChatImage Qr() => new([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4, 5, 6, 7, 8, 9], "QR code for your authenticator app", "mfa-qr.png");

    [Fact]
    public async Task A_message_with_an_image_is_posted_and_the_image_uploaded_into_the_same_dm()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);
        var channel = host.Services.GetRequiredService<SlackChatChannel>();
        var dm = await channel.OpenDirectAsync(new ChatUser("UALICE", "Alice"), Ct);
        var image = Qr();

        var posted = await channel.PostAsync(dm, new ChatMessage("Your setup key", null, image), Ct);

        Assert.Equal(["conversations.open", "files.getUploadURLExternal", FakeSlackApi.UploadMethod, "chat.postMessage", "files.completeUploadExternal"],
            slack.Calls.Select(c => c.Method));
        Assert.All(slack.Calls, c => Assert.True(c.Ok, c.Answer.ToJsonString()));
        var ticket = slack.CallsTo("files.getUploadURLExternal").Single().Body;
        Assert.Equal(("mfa-qr.png", image.Png.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), image.AltText),
            (ticket["filename"]!.GetValue<string>(), ticket["length"]!.GetValue<string>(), ticket["alt_txt"]!.GetValue<string>()));
        var fileId = Assert.Single(posted.FileIds!);
        var file = slack.Files[fileId];
        Assert.Equal(image.Png, file.Bytes);
        Assert.True(file.Completed);
        Assert.Equal("DALICE", file.SharedIn);
        var complete = slack.CallsTo("files.completeUploadExternal").Single().Body;
        Assert.Equal(fileId, complete["files"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("DALICE", complete["channel_id"]!.GetValue<string>());
        Assert.Equal(slack.CallsTo("chat.postMessage").Single().Answer["ts"]!.GetValue<string>(), posted.MessageId);
    }

    [Fact]
    public async Task A_message_without_an_image_uploads_nothing()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);
        var channel = host.Services.GetRequiredService<SlackChatChannel>();

        var posted = await channel.PostAsync(new ConversationRef(SlackChatChannel.Id, SlackTestHost.SupportChannel, true), new ChatMessage("hi"), Ct);

        Assert.Null(posted.FileIds);
        Assert.Equal(["chat.postMessage"], slack.Calls.Select(c => c.Method));
    }

    [Fact]
    public async Task RemoveSecretAsync_replaces_the_message_and_deletes_its_file()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);
        var channel = host.Services.GetRequiredService<SlackChatChannel>();
        var dm = await channel.OpenDirectAsync(new ChatUser("UALICE", "Alice"), Ct);
        var posted = await channel.PostAsync(dm, new ChatMessage("Setup key JBSWY3DPEHPK3PXP", null, Qr()), Ct);

        await ((IChatChannel)channel).RemoveSecretAsync(posted, new ChatMessage("Setup key removed after activation."), Ct);

        var update = slack.CallsTo("chat.update").Single();
        Assert.Equal((posted.MessageId, "DALICE"), (update.Body["ts"]!.GetValue<string>(), update.Channel));
        Assert.Contains("Setup key removed after activation.", update.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("JBSWY3DPEHPK3PXP", update.AllText, StringComparison.Ordinal);
        Assert.Equal(posted.FileIds![0], slack.CallsTo("files.delete").Single().Body["file"]!.GetValue<string>());
        Assert.True(slack.Files[posted.FileIds[0]].Deleted);
    }

    [Fact]
    public async Task RemoveSecretAsync_of_a_file_already_gone_succeeds()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);
        var channel = host.Services.GetRequiredService<SlackChatChannel>();
        var dm = await channel.OpenDirectAsync(new ChatUser("UALICE", "Alice"), Ct);
        var posted = await channel.PostAsync(dm, new ChatMessage("key", null, Qr()), Ct);
        await channel.RemoveSecretAsync(posted, new ChatMessage("removed"), Ct);

        // The outbox may run the removal again (a crash after Slack acted): the second run finds the file gone, and that is fine.
        await channel.RemoveSecretAsync(posted, new ChatMessage("removed"), Ct);

        Assert.Equal(["ok", "file_deleted"], slack.CallsTo("files.delete").Select(c => c.Ok ? "ok" : c.Answer["error"]!.GetValue<string>()));
    }

    [Fact]
    public async Task RemoveSecretAsync_whose_file_delete_is_refused_is_a_delivery_failure_for_the_outbox_to_retry()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);
        var channel = host.Services.GetRequiredService<SlackChatChannel>();
        var dm = await channel.OpenDirectAsync(new ChatUser("UALICE", "Alice"), Ct);
        var posted = await channel.PostAsync(dm, new ChatMessage("key", null, Qr()), Ct);
        slack.Refuse("files.delete", "cant_delete_file");

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => channel.RemoveSecretAsync(posted, new ChatMessage("removed"), Ct));

        Assert.True(failure is SlackApiException { Error: "cant_delete_file" } or ChatDeliveryException { Permanent: false }, failure.ToString());
        Assert.False(slack.Files[posted.FileIds![0]].Deleted);
    }

    public static TheoryData<string> Untrusted => new()
    {
        "https://files.slack.com.evil.example/upload/v1/",
        "https://evil.example/files.slack.com/upload/v1/",
        "http://files.slack.com/upload/v1/",
        "https://files.slack.com:8443/upload/v1/",
        "https://user@files.slack.com/upload/v1/",
        "https://slack.com/upload/v1/",
    };

    [Theory]
    [MemberData(nameof(Untrusted))]
    public async Task An_upload_url_off_slacks_upload_host_is_refused_and_nothing_is_posted(string tampered)
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);
        slack.UploadUrlFor = ticket => new Uri(tampered + ticket);
        var channel = host.Services.GetRequiredService<SlackChatChannel>();

        var failure = await Assert.ThrowsAsync<ChatDeliveryException>(() => channel.PostAsync(AliceDm, new ChatMessage("key", null, Qr()), Ct));

        Assert.True(failure.Permanent);
        Assert.Equal(SlackUploadHost.Refused, SlackDeliveryErrors.ErrorOf(failure));
        Assert.Equal(["files.getUploadURLExternal"], slack.Calls.Select(c => c.Method));
    }

    [Fact]
    public async Task An_upload_url_on_another_local_server_receives_nothing()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        await using var elsewhere = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);
        // The look-alike is loopback too, but not the API's own origin: it must get neither the bytes nor the token.
        slack.UploadUrlFor = ticket => new Uri(elsewhere.BaseUrl, "/upload/v1/" + ticket);
        var channel = host.Services.GetRequiredService<SlackChatChannel>();

        await Assert.ThrowsAsync<ChatDeliveryException>(() => channel.PostAsync(AliceDm, new ChatMessage("key", null, Qr()), Ct));

        Assert.Empty(elsewhere.AllCalls);
        Assert.Empty(slack.CallsTo(FakeSlackApi.UploadMethod));
        Assert.Empty(slack.CallsTo("chat.postMessage"));
    }

    [Theory]
    [InlineData("https://files.slack.com/upload/v1/abc", "https://slack.com/api/", true)]
    [InlineData("https://FILES.SLACK.COM/upload/v1/abc", "https://slack.com/api/", true)]
    [InlineData("https://files.slack.com.evil.example/upload/v1/abc", "https://slack.com/api/", false)]
    [InlineData("http://127.0.0.1:5000/upload/v1/abc", "https://slack.com/api/", false)]
    [InlineData("http://127.0.0.1:5000/upload/v1/abc", "http://127.0.0.1:5000/api/", true)]
    [InlineData("http://127.0.0.1:5001/upload/v1/abc", "http://127.0.0.1:5000/api/", false)]
    [InlineData("http://evil.example:5000/upload/v1/abc", "http://127.0.0.1:5000/api/", false)]
    [InlineData("http://127.0.0.1:5000/upload/v1/abc", "https://proxy.example.com/api/", false)]
    public void Only_files_slack_com_is_trusted_and_loopback_only_beside_a_loopback_api(string upload, string apiBase, bool trusted) =>
        Assert.Equal(trusted, SlackUploadHost.Trusts(new Uri(upload), new Uri(apiBase)));

    [Fact]
    public async Task A_share_that_fails_takes_back_the_message_and_the_file()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);
        var channel = host.Services.GetRequiredService<SlackChatChannel>();
        slack.Refuse("files.completeUploadExternal", "internal_error", times: 1);

        await Assert.ThrowsAnyAsync<Exception>(() => channel.PostAsync(AliceDm, new ChatMessage("key", null, Qr()), Ct));

        // Nothing is left behind for the outbox's retry to duplicate.
        var posted = slack.CallsTo("chat.postMessage").Single();
        Assert.False(slack.HasMessage("DALICE", posted.Answer["ts"]!.GetValue<string>()));
        Assert.Single(slack.CallsTo("chat.delete"), c => c.Ok);
    }

    [Fact]
    public void A_qr_code_as_a_data_uri_is_not_rendered_as_a_link_slack_would_refuse()
    {
        var card = new ResultCardData("MFA-0001", ChatOpsMfa.Okta.FactorCatalog.Find("token:software:totp", "GOOGLE")!, "uft1", "PENDING_ACTIVATION",
            "Scan the code.", "JBSWY3DPEHPK3PXP").ToCardContent();
        card.Data["qrCodeUrl"] = Qr().DataUri;

        var blocks = BlockKitRenderer.RenderMessage(new ChatMessage("r", card, Qr()));

        Assert.Empty(FakeSlackRules.MessageViolations(blocks));
        Assert.DoesNotContain("data:", blocks.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("JBSWY3DPEHPK3PXP", blocks.ToJsonString(), StringComparison.Ordinal);
        // The fake refuses such a link, as Slack does, so a renderer that let one through would fail on the wire.
        var forged = new JsonArray(new JsonObject
        {
            ["type"] = "actions",
            ["elements"] = new JsonArray(new JsonObject { ["type"] = "button", ["action_id"] = "x", ["text"] = BlockText.Plain("QR"), ["url"] = Qr().DataUri }),
        });
        Assert.NotEmpty(FakeSlackRules.MessageViolations(forged));
    }
}
