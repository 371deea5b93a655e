using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using YamlDotNet.RepresentationModel;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>manifests/slack/manifest.yml against Slack's own manifest schema (tests/specs/slack/manifest-schema).</summary>
public sealed class SlackManifestTests
{
    private const string RemoteBase = "https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/";

    private static readonly JsonObject Manifest = LoadManifest();

    [Fact]
    public void Manifest_validates_against_slacks_schema()
    {
        using var document = JsonDocument.Parse(Manifest.ToJsonString());
        var result = LoadSchema().Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

        var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).ToList();
        Assert.True(result.IsValid, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public void A_manifest_with_an_unknown_setting_fails_the_schema()
    {
        var broken = (JsonObject)Manifest.DeepClone();
        broken["settings"]!["not_a_setting"] = true;
        using var document = JsonDocument.Parse(broken.ToJsonString());

        Assert.False(LoadSchema().Evaluate(document.RootElement).IsValid);
    }

    [Fact]
    public void Manifest_declares_the_command_the_urls_and_socket_mode_option()
    {
        var command = Manifest["features"]!["slash_commands"]!.AsArray().Single()!;
        Assert.Equal("/mfa-reset", command["command"]!.GetValue<string>());
        Assert.EndsWith("/api/slack/commands", command["url"]!.GetValue<string>());
        Assert.EndsWith("/api/slack/interactions", Manifest["settings"]!["interactivity"]!["request_url"]!.GetValue<string>());
        Assert.EndsWith("/api/slack/events", Manifest["settings"]!["event_subscriptions"]!["request_url"]!.GetValue<string>());
        Assert.NotNull(Manifest["settings"]!["socket_mode_enabled"]);
    }

    [Fact]
    public void Manifest_asks_only_for_the_bot_scopes_the_code_uses()
    {
        var scopes = Manifest["oauth_config"]!["scopes"]!["bot"]!.AsArray().Select(s => s!.GetValue<string>()).Order().ToArray();

        // commands: /mfa-reset; chat:write: postMessage/update/postEphemeral/delete; files:write: the QR code's upload
        // and its deletion; im:write: conversations.open;
        // im:history: the message.im event; users:read + users:read.email: users.info with the email, and
        // users.lookupByEmail for a help-desk request naming someone by email.
        Assert.Equal(["chat:write", "commands", "files:write", "im:history", "im:write", "users:read", "users:read.email"], scopes);
        Assert.Equal(["message.im"], Manifest["settings"]!["event_subscriptions"]!["bot_events"]!.AsArray().Select(e => e!.GetValue<string>()));
    }

    [Fact]
    public void The_command_asks_Slack_to_escape_mentions_so_the_named_person_arrives_as_a_user_id()
    {
        var command = Manifest["features"]!["slash_commands"]!.AsArray().Single()!;

        Assert.True(command["should_escape"]!.GetValue<bool>());
    }

    private static JsonSchema LoadSchema()
    {
        var folder = Path.Combine(RepoPaths.Specs, "slack", "manifest-schema");
        var options = new BuildOptions { Dialect = Dialect.Draft07, SchemaRegistry = new SchemaRegistry() };
        foreach (var name in new[] { "manifest.schema.1.0.0.json", "manifest.schema.2.0.0.json" })
        {
            JsonSchema.FromText(File.ReadAllText(Path.Combine(folder, "schemas", name)), options, new Uri(RemoteBase + name));
        }

        return JsonSchema.FromText(File.ReadAllText(Path.Combine(folder, "manifest.schema.json")), options);
    }

    private static JsonObject LoadManifest()
    {
        var yaml = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(Path.Combine(RepoPaths.Root, "manifests", "slack", "manifest.yml")));
        yaml.Load(reader);
        return (JsonObject)ToJson(yaml.Documents[0].RootNode)!;
    }

    // YAML 1.2 core schema for plain scalars: true/false and integers are typed; quoted scalars stay strings.
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p =>
            KeyValuePair.Create(((YamlScalarNode)p.Key).Value!, ToJson(p.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar when scalar.Value is "true" or "false" =>
            JsonValue.Create(scalar.Value == "true"),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar when long.TryParse(scalar.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) =>
            JsonValue.Create(number),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => null,
    };
}
