using System.Text.Json.Nodes;
using ChatOpsMfa.Tests.Local;

namespace ChatOpsMfa.Tests.Robustness;

/// <summary>
/// Generated malformed requests against every Direct Line route the local chat serves, past authentication (a
/// valid token for Mallory, who has no Okta account and approves nothing). Besides the promises
/// <see cref="FuzzRun"/> checks, a bystander in the support conversation must see no card from the bot.
/// </summary>
public sealed class DirectLineFuzzTests
{
    private const int InputsPerRoute = 500;
    private const string Base = "/v3/directline";

    [Fact]
    public async Task Token_generation_survives_malformed_bodies()
    {
        await using var host = await RobustnessHost.StartAsync();
        var inputs = new MalformedInputs(seed: 1001);
        var valid = new JsonObject { ["user"] = new JsonObject { ["id"] = "mallory", ["name"] = "Mallory" }, ["conversationId"] = "support" };
        var run = new FuzzRun(host, "POST /v3/directline/tokens/generate");
        var baseline = await host.SnapshotAsync();

        await run.SendAllAsync(Enumerable.Range(0, InputsPerRoute).Select(_ =>
        {
            var body = inputs.Damage(MalformedInputs.Json(inputs.Mutate(valid, inputs.Random.Next(1, 4))));
            var type = inputs.ContentType();
            return new FuzzInput($"{type} {Preview(body)}", () => FuzzRun.Request(HttpMethod.Post, Base + "/tokens/generate", body, type));
        }));

        await run.AssertCleanAsync(baseline);
        await AssertNoBotCardInSupportAsync(host);
    }

    [Fact]
    public async Task Starting_a_conversation_survives_malformed_bodies_and_tokens()
    {
        await using var host = await RobustnessHost.StartAsync();
        var client = new DirectLineTestClient(host.CreateClient());
        var (_, token) = await client.GenerateAsync("mallory");
        var inputs = new MalformedInputs(seed: 1002);
        var valid = new JsonObject { ["user"] = new JsonObject { ["id"] = "mallory", ["name"] = "Mallory" } };
        var run = new FuzzRun(host, "POST /v3/directline/conversations");
        var baseline = await host.SnapshotAsync();

        await run.SendAllAsync(Enumerable.Range(0, InputsPerRoute).Select(_ =>
        {
            var body = inputs.Damage(MalformedInputs.Json(inputs.Mutate(valid, inputs.Random.Next(1, 3))));
            var type = inputs.ContentType();
            var authorization = inputs.Random.Next(5) == 0 ? Authorization(inputs, token) : "Bearer " + token;
            return new FuzzInput($"{type} auth={Preview(authorization)} {Preview(body)}",
                () => FuzzRun.Request(HttpMethod.Post, Base + "/conversations", body, type, authorization));
        }));

        await run.AssertCleanAsync(baseline);
        Assert.True(run.PastAuthentication > InputsPerRoute / 2, $"only {run.PastAuthentication} inputs got past the token check");
    }

    [Fact]
    public async Task Posting_activities_survives_malformed_and_hostile_activities()
    {
        await using var host = await RobustnessHost.StartAsync();
        var client = new DirectLineTestClient(host.CreateClient());
        var (personal, personalToken) = await client.StartPersonalAsync("mallory");
        var (support, supportToken) = await client.GenerateAsync("mallory", "support");
        var inputs = new MalformedInputs(seed: 1003);
        var run = new FuzzRun(host, "POST /v3/directline/conversations/{id}/activities");
        var baseline = await host.SnapshotAsync();

        await run.SendAllAsync(Enumerable.Range(0, InputsPerRoute).Select(_ =>
        {
            var inSupport = inputs.Random.Next(3) == 0;
            var (conversation, token) = inSupport ? (support, supportToken) : (personal, personalToken);
            var activity = Activity(inputs);
            var mutated = inputs.Random.Next(3) == 0 ? inputs.Mutate(activity, inputs.Random.Next(1, 3)) : activity;
            var body = inputs.Random.Next(4) == 0 ? inputs.Damage(MalformedInputs.Json(mutated)) : FuzzRun.Utf8(MalformedInputs.Json(mutated));
            var type = inputs.Random.Next(4) == 0 ? inputs.ContentType() : "application/json";
            var path = inputs.Random.Next(10) == 0 ? PathSegment(inputs.HostileText()) : conversation;
            var authorization = inputs.Random.Next(8) == 0 ? Authorization(inputs, token) : "Bearer " + token;
            return new FuzzInput($"{conversation} path={Preview(path)} {type} {Preview(body)}",
                () => FuzzRun.Request(HttpMethod.Post, $"{Base}/conversations/{path}/activities", body, type, authorization));
        }));

        await run.AssertCleanAsync(baseline);
        Assert.True(run.PastAuthentication > InputsPerRoute / 2, $"only {run.PastAuthentication} inputs got past the token check");
        await AssertNoBotCardInSupportAsync(host);
    }

    [Fact]
    public async Task Reading_activities_survives_malformed_watermarks_ids_and_tokens()
    {
        await using var host = await RobustnessHost.StartAsync();
        var client = new DirectLineTestClient(host.CreateClient());
        var (personal, token) = await client.StartPersonalAsync("mallory");
        var inputs = new MalformedInputs(seed: 1004);
        var run = new FuzzRun(host, "GET /v3/directline/conversations/{id}/activities");
        var baseline = await host.SnapshotAsync();

        await run.SendAllAsync(Enumerable.Range(0, InputsPerRoute).Select(_ =>
        {
            var watermark = Uri.EscapeDataString(inputs.Random.Next(3) switch
            {
                0 => inputs.HostileText(),
                1 => inputs.Random.NextInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => inputs.Pick(["-1", "0", "1", "99999999999999999999999", "1.5", " 1", "0x10", "", "%00"]),
            });
            var path = inputs.Random.Next(4) == 0 ? PathSegment(inputs.HostileText()) : personal;
            var authorization = inputs.Random.Next(3) == 0 ? Authorization(inputs, token) : "Bearer " + token;
            return new FuzzInput($"path={Preview(path)} watermark={Preview(watermark)} auth={Preview(authorization)}",
                () => FuzzRun.Request(HttpMethod.Get, $"{Base}/conversations/{path}/activities?watermark={watermark}", null, null, authorization));
        }));

        await run.AssertCleanAsync(baseline);
        Assert.True(run.PastAuthentication > InputsPerRoute / 2, $"only {run.PastAuthentication} inputs got past the token check");
    }

    /// <summary>A message activity from Mallory: hostile text, or a hostile card value.</summary>
    internal static JsonObject Activity(MalformedInputs inputs)
    {
        var activity = new JsonObject
        {
            ["type"] = inputs.Random.Next(8) == 0 ? inputs.AnyValue() : "message",
            ["from"] = new JsonObject { ["id"] = "mallory", ["name"] = inputs.Random.Next(3) == 0 ? inputs.HostileText() : "Mallory" },
            ["channelData"] = new JsonObject { ["clientActivityID"] = Guid.NewGuid().ToString("N") },
        };
        if (inputs.Random.Next(2) == 0)
        {
            activity["text"] = inputs.Random.Next(5) == 0 ? inputs.AnyValue() : inputs.HostileText();
        }
        else
        {
            activity["value"] = inputs.CardValue();
        }

        if (inputs.Random.Next(5) == 0)
        {
            activity["replyToId"] = inputs.AnyValue();
        }

        return activity;
    }

    /// <summary>Mostly broken Authorization headers; sometimes the good one, duplicated or with CRLF.</summary>
    internal static string? Authorization(MalformedInputs inputs, string token) => inputs.Random.Next(9) switch
    {
        0 => null,
        1 => "Bearer",
        2 => "Bearer " + token + ", Bearer " + token,
        3 => "Basic " + token,
        4 => "Bearer " + token[..(token.Length / 2)],
        5 => "Bearer " + inputs.HostileText(),
        6 => "bearer " + token,
        7 => "Bearer  " + token + "\r\nX-Injected: 1",
        _ => "Bearer " + token,
    };

    /// <summary>A hostile path segment; NUL is left out because the HTTP server refuses it before the app sees it.</summary>
    internal static string PathSegment(string text) => Uri.EscapeDataString(text.Replace("\0", "", StringComparison.Ordinal));

    internal static string Preview(byte[] body) => Preview(System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 120))) + $" ({body.Length} bytes)";

    internal static string Preview(string? text) =>
        text is null ? "(none)" : text.Length > 80 ? text[..80].ReplaceLineEndings("\\n") + "…" : text.ReplaceLineEndings("\\n");

    /// <summary>Bob, a bystander in support, must see no card from the bot: no request was put before approvers.</summary>
    private static async Task AssertNoBotCardInSupportAsync(RobustnessHost host)
    {
        var client = new DirectLineTestClient(host.CreateClient());
        var (support, bobToken) = await client.GenerateAsync("bob", "support");
        var (activities, _) = await client.ReadAsync(support, bobToken);
        Assert.DoesNotContain(activities, a => a["from"]?["role"]?.GetValue<string>() == "bot" && a["attachments"] is JsonArray { Count: > 0 });
    }
}
