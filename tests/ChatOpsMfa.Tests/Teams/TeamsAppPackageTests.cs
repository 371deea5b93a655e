using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOpsMfa.Channels.Teams;
using Json.Schema;

namespace ChatOpsMfa.Tests.Teams;

/// <summary>manifests/teams: the manifest validates against the official v1.19 schema, and the zip is installable.</summary>
public sealed class TeamsAppPackageTests
{
    private const string AppId = "5f1c6bde-3a59-4a0e-8a4e-3b6f2f0f7d11";

    private static string ManifestDirectory => Path.Combine(RepoPaths.Root, "manifests", "teams");

    [Fact]
    public void The_committed_manifest_validates_against_the_v1_19_schema()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(ManifestDirectory, "manifest.json")))!.AsObject();
        Assert.Empty(SchemaErrors(manifest));
        Assert.Equal("1.19", manifest["manifestVersion"]!.GetValue<string>());
    }

    [Fact]
    public void The_schema_check_can_fail()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(ManifestDirectory, "manifest.json")))!.AsObject();
        manifest["bots"]![0]!["scopes"] = new JsonArray("everywhere");
        manifest.Remove("accentColor");
        Assert.NotEmpty(SchemaErrors(manifest));
    }

    [Fact]
    public void The_package_holds_the_manifest_with_the_app_id_and_both_icons()
    {
        using var buffer = new MemoryStream();
        TeamsAppPackage.Write(ManifestDirectory, AppId, buffer);
        buffer.Position = 0;
        using var zip = new ZipArchive(buffer, ZipArchiveMode.Read);

        Assert.Equal(["color.png", "manifest.json", "outline.png"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        using var reader = new StreamReader(zip.GetEntry("manifest.json")!.Open());
        var manifest = JsonNode.Parse(reader.ReadToEnd())!.AsObject();
        Assert.Empty(SchemaErrors(manifest));
        Assert.Equal(AppId, manifest["id"]!.GetValue<string>());
        var bot = Assert.Single(manifest["bots"]!.AsArray())!;
        Assert.Equal(AppId, bot["botId"]!.GetValue<string>());
        Assert.Equal(["personal", "team"], bot["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.All(bot["commandLists"]!.AsArray(), list =>
            Assert.Contains(list!["commands"]!.AsArray(), c => c!["title"]!.GetValue<string>() == "mfa-reset"));

        var color = Png.Read(zip.GetEntry("color.png")!);
        Assert.Equal((192, 192), (color.Width, color.Height));
        var outline = Png.Read(zip.GetEntry("outline.png")!);
        Assert.Equal((32, 32), (outline.Width, outline.Height));
        Assert.True(outline.HasTransparentPixels, "The outline icon must be transparent around a white outline.");
        Assert.True(outline.OpaquePixelsAreWhite, "The outline icon's visible pixels must be white.");
    }

    [Fact]
    public void A_package_without_a_real_app_id_is_refused_naming_the_key()
    {
        using var buffer = new MemoryStream();
        var error = Assert.Throws<ArgumentException>(() => TeamsAppPackage.Write(ManifestDirectory, "my-bot", buffer));
        Assert.Contains("MicrosoftAppId", error.Message, StringComparison.Ordinal);
    }

    private static IReadOnlyList<string> SchemaErrors(JsonObject manifest)
    {
        var schemaPath = Path.Combine(RepoPaths.Specs, "teams", "v1.19", "MicrosoftTeams.schema.json");
        // The file declares draft-04 but uses draft-06 keywords (const) and no draft-04-only ones (boolean
        // exclusiveMinimum); JsonSchema.Net has no draft-04, so it is evaluated, unchanged otherwise, as draft-06.
        var text = File.ReadAllText(schemaPath).Replace(
            "http://json-schema.org/draft-04/schema#", "http://json-schema.org/draft-06/schema#", StringComparison.Ordinal);
        var schema = JsonSchema.FromText(text,
            new BuildOptions { Dialect = Dialect.Draft06, SchemaRegistry = new SchemaRegistry() });
        using var document = JsonDocument.Parse(manifest.ToJsonString());
        var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid ? [] : (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))
            .DefaultIfEmpty("invalid")
            .ToList();
    }

    /// <summary>Just enough PNG reading to check size and alpha of an 8-bit RGBA, non-interlaced image.</summary>
    private sealed record Png(int Width, int Height, bool HasTransparentPixels, bool OpaquePixelsAreWhite)
    {
        public static Png Read(ZipArchiveEntry entry)
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
            var width = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16));
            var height = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20));
            if (bytes[24] != 8 || bytes[25] != 6)
            {
                return new Png(width, height, false, false); // not RGBA: no alpha channel to be transparent with
            }

            using var idat = new MemoryStream();
            for (var at = 8; at < bytes.Length;)
            {
                var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at));
                if (System.Text.Encoding.ASCII.GetString(bytes, at + 4, 4) == "IDAT")
                {
                    idat.Write(bytes, at + 8, length);
                }

                at += 12 + length;
            }

            idat.Position = 0;
            using var inflated = new MemoryStream();
            using (var z = new ZLibStream(idat, CompressionMode.Decompress))
            {
                z.CopyTo(inflated);
            }

            var raw = inflated.ToArray();
            var stride = 1 + (width * 4);
            bool transparent = false, white = true;
            for (var y = 0; y < height; y++)
            {
                Assert.Equal(0, raw[y * stride]); // filter "none", as our generator writes
                for (var x = 0; x < width; x++)
                {
                    var p = (y * stride) + 1 + (x * 4);
                    if (raw[p + 3] == 0)
                    {
                        transparent = true;
                    }
                    else if (raw[p] != 255 || raw[p + 1] != 255 || raw[p + 2] != 255)
                    {
                        white = false;
                    }
                }
            }

            return new Png(width, height, transparent, white);
        }
    }
}
