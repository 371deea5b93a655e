using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// The fake Slack's files and deletions are as strict as Slack's reference pages say: an upload completed only after
/// its bytes arrived, with the declared length, once, in a conversation the bot is in; files.delete and chat.delete
/// only for what exists and is the bot's own. Every error it answers is one Slack documents for that method.
/// </summary>
public sealed class FakeSlackFileStrictnessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Completing_an_upload_whose_bytes_never_arrived_is_file_not_found()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        var ticket = await CallAsync(slack, "files.getUploadURLExternal", "filename=qr.png&length=4");

        var answer = await CompleteAsync(slack, ticket["file_id"]!.GetValue<string>(), "CSUPPORT");

        Assert.Equal("file_not_found", Error(answer));
    }

    [Fact]
    public async Task Bytes_of_another_length_than_declared_are_refused_and_the_upload_cannot_be_completed()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        var ticket = await CallAsync(slack, "files.getUploadURLExternal", "filename=qr.png&length=4");

        var upload = await UploadAsync(ticket, [1, 2, 3]);
        var answer = await CompleteAsync(slack, ticket["file_id"]!.GetValue<string>(), "CSUPPORT");

        Assert.Equal(HttpStatusCode.BadRequest, upload);
        Assert.Equal("file_not_found", Error(answer));
    }

    [Fact]
    public async Task An_upload_is_completed_once_and_only_in_a_conversation_the_bot_is_in()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        var ticket = await CallAsync(slack, "files.getUploadURLExternal", "filename=qr.png&length=4");
        var fileId = ticket["file_id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, await UploadAsync(ticket, [1, 2, 3, 4]));

        var elsewhere = await CompleteAsync(slack, fileId, "CRANDOM");
        var nobodysDm = await CompleteAsync(slack, fileId, "DNOBODY");
        var shared = await CompleteAsync(slack, fileId, "CSUPPORT");
        var again = await CompleteAsync(slack, fileId, "CSUPPORT");

        Assert.Equal("not_in_channel", Error(elsewhere));
        Assert.Equal("not_in_channel", Error(nobodysDm));
        Assert.True(shared["ok"]!.GetValue<bool>(), shared.ToJsonString());
        Assert.Equal("file_not_found", Error(again));
        Assert.Equal("CSUPPORT", slack.Files[fileId].SharedIn);
    }

    [Fact]
    public async Task The_upload_ticket_needs_a_name_a_length_above_zero_and_alt_text_within_1000_characters()
    {
        await using var slack = await FakeSlackApi.StartAsync();

        var noName = await CallAsync(slack, "files.getUploadURLExternal", "length=4");
        var empty = await CallAsync(slack, "files.getUploadURLExternal", "filename=qr.png&length=0");
        var longAlt = await CallAsync(slack, "files.getUploadURLExternal", "filename=qr.png&length=4&alt_txt=" + new string('a', 1001));

        Assert.Equal("invalid_arguments", Error(noName));
        Assert.Equal("missing_argument", Error(empty));
        Assert.Equal("alt_txt_too_large", Error(longAlt));
    }

    [Fact]
    public async Task Files_delete_of_an_unknown_file_is_file_not_found_and_a_second_delete_file_deleted()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        var ticket = await CallAsync(slack, "files.getUploadURLExternal", "filename=qr.png&length=1");
        var fileId = ticket["file_id"]!.GetValue<string>();
        await UploadAsync(ticket, [7]);
        await CompleteAsync(slack, fileId, "CSUPPORT");

        var unknown = await CallAsync(slack, "files.delete", "file=FNOSUCHFILE");
        var first = await CallAsync(slack, "files.delete", "file=" + fileId);
        var second = await CallAsync(slack, "files.delete", "file=" + fileId);

        Assert.Equal("file_not_found", Error(unknown));
        Assert.True(first["ok"]!.GetValue<bool>());
        Assert.Equal("file_deleted", Error(second));
    }

    [Fact]
    public async Task Chat_delete_of_a_message_the_bot_did_not_post_is_cant_delete_message()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        var theirs = slack.PostedBySomeoneElse("CSUPPORT");
        var ours = (await CallAsync(slack, "chat.postMessage", "channel=CSUPPORT&text=hi"))["ts"]!.GetValue<string>();

        var refused = await CallAsync(slack, "chat.delete", $"channel=CSUPPORT&ts={theirs}");
        var unknown = await CallAsync(slack, "chat.delete", "channel=CSUPPORT&ts=1.000001");
        var deleted = await CallAsync(slack, "chat.delete", $"channel=CSUPPORT&ts={ours}");
        var edited = await CallAsync(slack, "chat.update", $"channel=CSUPPORT&ts={theirs}&text=mine");

        Assert.Equal("cant_delete_message", Error(refused));
        Assert.Equal("message_not_found", Error(unknown));
        Assert.True(deleted["ok"]!.GetValue<bool>());
        Assert.False(slack.HasMessage("CSUPPORT", ours));
        Assert.Equal("cant_update_message", Error(edited));
    }

    [Fact]
    public async Task Every_error_the_fake_gives_for_files_and_deletions_is_one_slack_documents_for_that_method()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        var ticket = await CallAsync(slack, "files.getUploadURLExternal", "filename=qr.png&length=2");
        await CompleteAsync(slack, ticket["file_id"]!.GetValue<string>(), "CRANDOM");
        await CallAsync(slack, "files.getUploadURLExternal", "filename=qr.png&length=0");
        await CallAsync(slack, "files.getUploadURLExternal", "filename=qr.png&length=2&alt_txt=" + new string('a', 1001));
        await CallAsync(slack, "files.delete", "file=FNONE");
        await CallAsync(slack, "chat.delete", "channel=CSUPPORT&ts=1.000001");
        await CallAsync(slack, "chat.delete", $"channel=CSUPPORT&ts={slack.PostedBySomeoneElse("CSUPPORT")}");

        var refusals = slack.AllCalls.Where(c => !c.Ok).ToList();
        Assert.NotEmpty(refusals);
        Assert.All(refusals, c => Assert.Contains(Error(c.Answer), (IReadOnlySet<string>)SlackWebApiDescription.Instance.Find(c.Method)!.Errors!));
    }

    [Fact]
    public void The_upload_rules_come_from_the_description_written_from_slacks_reference()
    {
        var ticket = SlackWebApiDescription.Instance.Find("files.getUploadURLExternal")!;
        var complete = SlackWebApiDescription.Instance.Find("files.completeUploadExternal")!;

        Assert.Equal(["filename", "length"], ticket.Required.Order(StringComparer.Ordinal));
        Assert.Contains("alt_txt", (IReadOnlySet<string>)ticket.Arguments);
        Assert.Equal(["files"], complete.Required);
        Assert.Contains("files", (IReadOnlySet<string>)complete.JsonArguments);
        Assert.True(complete.Reads(SlackWebApiDescription.Form));
        Assert.Contains("cant_delete_message", (IReadOnlySet<string>)SlackWebApiDescription.Instance.Find("chat.delete")!.Errors!);
        Assert.Contains("file_not_found", (IReadOnlySet<string>)SlackWebApiDescription.Instance.Find("files.delete")!.Errors!);
    }

    private static Task<JsonObject> CompleteAsync(FakeSlackApi slack, string fileId, string channelId) =>
        CallAsync(slack, "files.completeUploadExternal",
            "files=" + Uri.EscapeDataString($$"""[{"id":"{{fileId}}","title":"QR"}]""") + "&channel_id=" + channelId);

    private static async Task<HttpStatusCode> UploadAsync(JsonObject ticket, byte[] bytes)
    {
        using var http = new HttpClient();
        using var content = new ByteArrayContent(bytes);
        using var response = await http.PostAsync(new Uri(ticket["upload_url"]!.GetValue<string>()), content, Ct);
        return response.StatusCode;
    }

    private static string Error(JsonObject answer) => answer["error"]?.GetValue<string>() ?? "(ok)";

    private static async Task<JsonObject> CallAsync(FakeSlackApi slack, string method, string form)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(slack.BaseUrl, method))
        {
            Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", FakeSlackApi.BotToken);
        using var response = await http.SendAsync(request, Ct);
        return (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
    }
}
