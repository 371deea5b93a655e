using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Channels.Teams;

/// <summary>
/// Builds the installable Teams app package (a zip with manifest.json and the two icons at its root) from
/// <c>manifests/teams/</c>, with the Azure Bot's app id as the app id and the bot id.
/// </summary>
public static class TeamsAppPackage
{
    public static void Write(string manifestDirectory, string appId, Stream output)
    {
        if (!Guid.TryParse(appId, out var id))
        {
            throw new ArgumentException($"{TeamsConfigurationKeys.AppId} must be the Azure Bot's app id, a GUID (it is '{appId}').", nameof(appId));
        }

        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(manifestDirectory, "manifest.json")))!.AsObject();
        manifest["id"] = id.ToString("D");
        foreach (var bot in manifest["bots"]?.AsArray() ?? [])
        {
            bot!["botId"] = id.ToString("D");
        }

        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        var entry = zip.CreateEntry("manifest.json");
        using (var writer = new StreamWriter(entry.Open()))
        {
            writer.Write(manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }

        foreach (var icon in new[] { "color", "outline" })
        {
            var file = manifest["icons"]?[icon]?.GetValue<string>()
                ?? throw new InvalidOperationException($"manifest.json names no {icon} icon.");
            zip.CreateEntryFromFile(Path.Combine(manifestDirectory, file), file);
        }
    }
}
