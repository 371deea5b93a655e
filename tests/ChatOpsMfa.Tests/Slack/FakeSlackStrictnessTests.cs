using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// The fake Slack refuses what Slack's own Web API description says Slack would not read, so a client that sends the
/// wrong body fails here as it would against slack.com.
/// </summary>
public sealed class FakeSlackStrictnessTests
{
    [Fact]
    public async Task Users_info_sent_as_json_is_not_read_and_answers_user_not_found()
    {
        await using var slack = await FakeSlackApi.StartAsync();

        // users.info "consumes" only application/x-www-form-urlencoded: the JSON body is not read, so no user is named.
        var json = await PostAsync(slack, "users.info", """{"user":"UALICE"}""", "application/json");
        var form = await PostAsync(slack, "users.info", "user=UALICE", "application/x-www-form-urlencoded");

        Assert.Equal("user_not_found", json["error"]!.GetValue<string>());
        Assert.True(form["ok"]!.GetValue<bool>(), form.ToJsonString());
    }

    [Fact]
    public async Task Users_lookup_by_email_sent_as_json_lacks_its_required_email()
    {
        await using var slack = await FakeSlackApi.StartAsync();

        var answer = await PostAsync(slack, "users.lookupByEmail", """{"email":"alice@example.com"}""", "application/json");

        Assert.Equal("invalid_arguments", answer["error"]!.GetValue<string>());
        Assert.Contains("missing required field: email", answer.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_method_is_refused()
    {
        await using var slack = await FakeSlackApi.StartAsync();

        var answer = await PostAsync(slack, "users.whoIsAlice", "user=UALICE", "application/x-www-form-urlencoded");

        Assert.Equal("unknown_method", answer["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_required_argument_missing_per_the_description_is_refused()
    {
        await using var slack = await FakeSlackApi.StartAsync();

        var answer = await PostAsync(slack, "chat.update", "channel=CSUPPORT&text=hi", "application/x-www-form-urlencoded");

        Assert.Equal("invalid_arguments", answer["error"]!.GetValue<string>());
        Assert.Contains("missing required field: ts", answer.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Blocks_in_a_form_are_read_as_the_json_string_the_description_asks_for()
    {
        await using var slack = await FakeSlackApi.StartAsync();

        var ok = await PostAsync(slack, "chat.postMessage",
            "channel=CSUPPORT&text=hi&blocks=" + Uri.EscapeDataString("""[{"type":"divider"}]"""), "application/x-www-form-urlencoded");
        var broken = await PostAsync(slack, "chat.postMessage", "channel=CSUPPORT&text=hi&blocks=%5B", "application/x-www-form-urlencoded");

        Assert.True(ok["ok"]!.GetValue<bool>(), ok.ToJsonString());
        Assert.Equal("divider", slack.CallsTo("chat.postMessage").First().Body["blocks"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("invalid_blocks_format", broken["error"]!.GetValue<string>());
    }

    [Fact]
    public void The_rules_come_from_slacks_description()
    {
        var description = SlackWebApiDescription.Instance;

        Assert.Equal([SlackWebApiDescription.Form], description.Find("users.info")!.Consumes);
        Assert.Equal([SlackWebApiDescription.Form], description.Find("users.lookupByEmail")!.Consumes);
        Assert.True(description.Find("chat.postMessage")!.Reads(SlackWebApiDescription.Json));
        Assert.Equal(["channel", "ts"], description.Find("chat.update")!.Required.Order(StringComparer.Ordinal));
        Assert.Contains("blocks", (IReadOnlySet<string>)description.Find("chat.postMessage")!.JsonArguments);
        Assert.Contains("view", (IReadOnlySet<string>)description.Find("views.open")!.JsonArguments);
        Assert.Null(description.Find("users.whoIsAlice"));
    }

    private static async Task<JsonObject> PostAsync(FakeSlackApi slack, string method, string body, string mediaType)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(slack.BaseUrl, method))
        {
            Content = new StringContent(body, Encoding.UTF8, mediaType),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", FakeSlackApi.BotToken);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        return (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
    }
}
