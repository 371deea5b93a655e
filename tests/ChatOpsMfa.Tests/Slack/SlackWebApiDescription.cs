using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// What Slack's own Web API description (tests/specs/slack/slack_web_openapi_v2.json, slackapi/slack-api-specs) says
/// about each method: which request bodies Slack reads (<c>consumes</c>), which arguments it takes, which are
/// required, and which carry JSON inside a form field. The fake Slack takes its rules from here, not from our code.
/// </summary>
internal sealed class SlackWebApiDescription
{
    public const string Form = "application/x-www-form-urlencoded";
    public const string Json = "application/json";

    private static readonly Lazy<SlackWebApiDescription> Loaded = new(Load);

    private readonly FrozenDictionary<string, SlackMethodRules> _methods;

    private SlackWebApiDescription(FrozenDictionary<string, SlackMethodRules> methods) => _methods = methods;

    public static SlackWebApiDescription Instance => Loaded.Value;

    /// <summary>The rules for <paramref name="method"/>, or null when Slack has no such method.</summary>
    public SlackMethodRules? Find(string method) => _methods.GetValueOrDefault(method);

    private static SlackWebApiDescription Load()
    {
        var methods = new Dictionary<string, SlackMethodRules>(StringComparer.Ordinal);
        Read("slack_web_openapi_v2.json", methods);
        // files.getUploadURLExternal and files.completeUploadExternal are newer than that description: written down in
        // its shape from Slack's reference pages (tests/specs/slack/SOURCE.md).
        Read("slack_web_files_external_upload.json", methods);

        // apps.connections.open (Socket Mode) is newer than Slack's 2021 description. Its reference page
        // (api.slack.com/methods/apps.connections.open) lists both content types, no arguments, and the app-level token
        // in the Authorization header only.
        methods.TryAdd("apps.connections.open", new SlackMethodRules(
            "apps.connections.open", new[] { Form, Json }.ToFrozenSet(StringComparer.OrdinalIgnoreCase), FrozenSet<string>.Empty, [],
            FrozenSet<string>.Empty));
        return new SlackWebApiDescription(methods.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static void Read(string file, Dictionary<string, SlackMethodRules> methods)
    {
        var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Specs, "slack", file)))!.AsObject();
        foreach (var (route, operations) in spec["paths"]!.AsObject())
        {
            foreach (var (_, operation) in operations!.AsObject())
            {
                var consumes = (operation!["consumes"] as JsonArray ?? []).Select(c => c!.GetValue<string>()).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
                var parameters = (operation["parameters"] as JsonArray ?? []).OfType<JsonObject>()
                    .Where(p => p["name"]!.GetValue<string>() != "token")
                    .ToList();
                var errors = operation["responses"]?["default"]?["schema"]?["properties"]?["error"]?["enum"] as JsonArray ?? [];
                var limits = (operation["x-limits"] as JsonObject ?? []).Select(l => new SlackArgumentLimit(
                    l.Key, l.Value?["maxLength"]?.GetValue<int>(), l.Value?["minimum"]?.GetValue<long>(), l.Value!["error"]!.GetValue<string>())).ToList();
                methods[route.TrimStart('/')] = new SlackMethodRules(
                    route.TrimStart('/'),
                    consumes,
                    parameters.Select(p => p["name"]!.GetValue<string>()).ToFrozenSet(StringComparer.Ordinal),
                    parameters.Where(p => p["required"]?.GetValue<bool>() == true).Select(p => p["name"]!.GetValue<string>()).ToList(),
                    // "A JSON-based array of structured blocks, presented as a URL-encoded string", "This must be a JSON-encoded string";
                    // an array argument in a form (files.completeUploadExternal's files) travels the same way.
                    parameters.Where(p => p["description"]?.GetValue<string>().Contains("JSON", StringComparison.Ordinal) == true ||
                            (p["in"]?.GetValue<string>() == "formData" && p["type"]?.GetValue<string>() == "array"))
                        .Select(p => p["name"]!.GetValue<string>()).ToFrozenSet(StringComparer.Ordinal),
                    errors.Select(e => e!.GetValue<string>()).ToFrozenSet(StringComparer.Ordinal),
                    limits);
            }
        }
    }
}
