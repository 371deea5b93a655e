using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChatOpsMfa.Cards;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Channels.Teams;
using ChatOpsMfa.Tests.Teams.Fakes;
using Microsoft.Extensions.DependencyInjection;
using static ChatOpsMfa.Tests.Teams.TeamsUsers;

namespace ChatOpsMfa.Tests.Teams;

/// <summary>
/// The fake Connector refuses what Teams refuses (rules and sources in <see cref="FakeBotFramework"/>): a message over
/// the size limit, sent or updated; a card image Teams does not show; an update or delete of an activity the bot
/// never sent, or already deleted. And the Teams channel removes a key card by replacing it in place.
/// </summary>
public sealed class FakeConnectorRulesTests : TeamsFakeTests
{
    private string ActivitiesOf(string conversationId) => $"{Fake.BaseUrl}/v3/conversations/{Uri.EscapeDataString(conversationId)}/activities";

    [Fact]
    public async Task A_message_over_the_size_limit_is_refused_when_sent_and_when_updated()
    {
        using var http = Client();
        var id = await SendAsync(http, Message("small"));

        using var bigSend = await http.PostAsync(ActivitiesOf(Alice.PersonalConversationId), Json(Message(new string('x', FakeBotFramework.MaximumActivityBytes))), Ct);
        var bigUpdate = Message(new string('x', FakeBotFramework.MaximumActivityBytes));
        bigUpdate["id"] = id;
        using var updated = await http.PutAsync(ActivitiesOf(Alice.PersonalConversationId) + "/" + id, Json(bigUpdate), Ct);

        Assert.Equal((HttpStatusCode)413, bigSend.StatusCode);
        Assert.Equal((HttpStatusCode)413, updated.StatusCode);
        Assert.Contains("MessageSizeTooBig", await updated.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal("small", Fake.Current(id)!.Json["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_delete_of_an_activity_the_bot_never_sent_or_already_deleted_is_refused()
    {
        using var http = Client();
        var id = await SendAsync(http, Message("to delete"));

        using var never = await http.DeleteAsync(ActivitiesOf(Alice.PersonalConversationId) + "/999999", Ct);
        using var elsewhere = await http.DeleteAsync(ActivitiesOf(Bob.PersonalConversationId) + "/" + id, Ct);
        using var deleted = await http.DeleteAsync(ActivitiesOf(Alice.PersonalConversationId) + "/" + id, Ct);
        using var again = await http.DeleteAsync(ActivitiesOf(Alice.PersonalConversationId) + "/" + id, Ct);
        var update = Message("after");
        update["id"] = id;
        using var afterDelete = await http.PutAsync(ActivitiesOf(Alice.PersonalConversationId) + "/" + id, Json(update), Ct);

        Assert.Equal(HttpStatusCode.NotFound, never.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, afterDelete.StatusCode);
        Assert.True(Fake.WasDeleted(id));
        Assert.Null(Fake.Current(id));
        Assert.Equal(4, Fake.ConnectorCalls.Count(c => c.Method == "DELETE"));
    }

    [Fact]
    public async Task A_card_image_Teams_does_not_show_is_refused_and_the_bots_own_QR_code_is_accepted()
    {
        var qr = QrCodeImage.Render(QrCodeImage.TotpUri("example.okta.com", "alice@example.com", "JBSWY3DPEHPK3PXP"), "QR", "qr.png");
        Assert.Null(FakeBotFramework.CardImageProblem(CardWith(qr.DataUri)));

        Assert.Contains("png, jpg or gif", FakeBotFramework.CardImageProblem(CardWith("data:image/svg+xml;base64,PHN2Zz48L3N2Zz4="))!, StringComparison.Ordinal);
        Assert.Contains("base64", FakeBotFramework.CardImageProblem(CardWith("data:image/png;base64,not base64!"))!, StringComparison.Ordinal);
        Assert.Contains("1024 x 1024", FakeBotFramework.CardImageProblem(CardWith(PngHeader(2048, 16)))!, StringComparison.Ordinal);
        Assert.Contains("not one", FakeBotFramework.CardImageProblem(CardWith("data:image/png;base64," + Convert.ToBase64String(new byte[40])))!, StringComparison.Ordinal);

        using var http = Client();
        var activity = Message("card");
        activity["attachments"] = new JsonArray(AdaptiveCardAttachment.Create(CardWith(PngHeader(2048, 16))));
        using var refused = await http.PostAsync(ActivitiesOf(Alice.PersonalConversationId), Json(activity), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task The_Teams_channel_removes_a_secret_by_replacing_the_activity_in_place_and_never_with_an_image()
    {
        using var host = new TeamsTestHost(Fake);
        await host.StartAsync();
        IChatChannel channel = host.Services.GetRequiredService<TeamsChatChannel>();
        var conversation = new ConversationRef("msteams", Alice.PersonalConversationId, false, FakeBotFramework.TenantId);
        var qr = QrCodeImage.Render("otpauth://totp/x:y?secret=JBSWY3DPEHPK3PXP", "QR", "qr.png");
        var card = new ResultCardData("MFA-0001", ChatOpsMfa.Okta.FactorCatalog.Offered[0], "uft1", "PENDING_ACTIVATION", "Scan it.", "JBSWY3DPEHPK3PXP", qr);
        var posted = await channel.PostAsync(conversation, new ChatMessage("key", card.ToCardContent(), qr), CancellationToken.None);

        await Assert.ThrowsAsync<ArgumentException>(() =>
            channel.RemoveSecretAsync(posted, new ChatMessage("removed", null, qr), CancellationToken.None));
        await channel.RemoveSecretAsync(posted, new ChatMessage("Setup key removed after activation."), CancellationToken.None);

        var now = Fake.Current(posted.MessageId)!;
        Assert.Equal("PUT", now.Method);
        Assert.Equal($"/v3/conversations/{Alice.PersonalConversationId}/activities/{posted.MessageId}", now.Path);
        Assert.DoesNotContain("JBSWY3DPEHPK3PXP", now.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("data:image", now.Body, StringComparison.Ordinal);
        Assert.Single(Fake.ConnectorCalls, c => c.Method == "PUT");
    }

    [Fact]
    public async Task A_mention_whose_text_is_not_in_the_message_text_is_refused()
    {
        using var http = Client();
        var good = Message("Reminder.\n\n<at>Bob Helper</at>");
        good["entities"] = new JsonArray(Mention("<at>Bob Helper</at>", Bob.MemberId, Bob.Name));
        var notInText = Message("Reminder.");
        notInText["entities"] = new JsonArray(Mention("<at>Bob Helper</at>", Bob.MemberId, Bob.Name));
        var noTag = Message("Reminder. Bob Helper");
        noTag["entities"] = new JsonArray(Mention("Bob Helper", Bob.MemberId, Bob.Name));
        var nobody = Message("Reminder. <at>Bob Helper</at>");
        nobody["entities"] = new JsonArray(new JsonObject { ["type"] = "mention", ["text"] = "<at>Bob Helper</at>" });

        await SendAsync(http, good);
        using var refusedText = await http.PostAsync(ActivitiesOf(SupportChannelId), Json(notInText), Ct);
        using var refusedTag = await http.PostAsync(ActivitiesOf(SupportChannelId), Json(noTag), Ct);
        using var refusedNobody = await http.PostAsync(ActivitiesOf(SupportChannelId), Json(nobody), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, refusedText.StatusCode);
        Assert.Contains("does not appear in the message text", await refusedText.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, refusedTag.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refusedNobody.StatusCode);
    }

    [Fact]
    public async Task The_Teams_channel_mentions_known_members_by_their_29_id_and_names_unknown_people_in_plain_text()
    {
        using var host = new TeamsTestHost(Fake);
        await host.StartAsync();
        IChatChannel channel = host.Services.GetRequiredService<TeamsChatChannel>();
        var support = new ConversationRef("msteams", SupportChannelId, true, FakeBotFramework.TenantId);
        var stranger = new ChatUser("0bad0000-0000-4000-8000-0000000000aa", "<at>Mallory</at>");
        ChatUser[] mentions = [new(Bob.AadObjectId, Bob.AadObjectId), stranger, new(Bob.AadObjectId, Bob.AadObjectId)];

        var posted = await channel.PostAsync(support, new ChatMessage("Reminder: waiting.", Mentions: mentions), CancellationToken.None);

        var sent = Fake.Current(posted.MessageId)!.Json;
        var text = sent["text"]!.GetValue<string>();
        var entity = Assert.Single(sent["entities"]!.AsArray())!.AsObject();
        Assert.Equal(("mention", "<at>Bob Helper</at>", Bob.MemberId, Bob.Name),
            (entity["type"]!.GetValue<string>(), entity["text"]!.GetValue<string>(),
             entity["mentioned"]!["id"]!.GetValue<string>(), entity["mentioned"]!["name"]!.GetValue<string>()));
        Assert.StartsWith("Reminder: waiting.", text, StringComparison.Ordinal);
        Assert.Contains("<at>Bob Helper</at>", text, StringComparison.Ordinal);
        Assert.Contains("&lt;at&gt;Mallory&lt;/at&gt;", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<at>Mallory</at>", text, StringComparison.Ordinal);
    }

    private static JsonObject Mention(string text, string id, string name) => new()
    {
        ["type"] = "mention",
        ["text"] = text,
        ["mentioned"] = new JsonObject { ["id"] = id, ["name"] = name },
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Client()
    {
        var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Fake.CurrentAccessToken);
        return http;
    }

    private async Task<string> SendAsync(HttpClient http, JsonObject activity)
    {
        using var sent = await http.PostAsync(ActivitiesOf(Alice.PersonalConversationId), Json(activity), Ct);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        return JsonNode.Parse(await sent.Content.ReadAsStringAsync(Ct))!["id"]!.GetValue<string>();
    }

    private static JsonObject Message(string text) => new() { ["type"] = "message", ["text"] = text };

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static JsonObject CardWith(string imageUrl) => new()
    {
        ["type"] = "AdaptiveCard",
        ["version"] = "1.5",
        ["body"] = new JsonArray(new JsonObject { ["type"] = "Container", ["items"] = new JsonArray(new JsonObject { ["type"] = "Image", ["url"] = imageUrl }) }),
    };

    /// <summary>A PNG signature and IHDR chunk saying <paramref name="width"/> × <paramref name="height"/>, as a data URI.</summary>
    private static string PngHeader(int width, int height)
    {
        var bytes = new byte[33];
        new byte[] { 137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R' }.CopyTo(bytes, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), height);
        return "data:image/png;base64," + Convert.ToBase64String(bytes);
    }
}
