using System.Text.Json;
using System.Text.Json.Nodes;

namespace Arazzo.Cli;

/// <summary>The options of <c>arazzo validate</c> and <c>arazzo run</c>.</summary>
internal sealed class CliArguments
{
    public string? File { get; private set; }

    public string? WorkflowId { get; private set; }

    public string? SourceRoot { get; private set; }

    public string? ConfigFile { get; private set; }

    public Dictionary<string, JsonNode?> Inputs { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Uri> Servers { get; } = new(StringComparer.Ordinal);

    public List<string> AllowedRemoteHosts { get; } = [];

    public string? Problem { get; private set; }

    public static CliArguments Parse(IReadOnlyList<string> args)
    {
        var parsed = new CliArguments();
        for (var i = 0; i < args.Count && parsed.Problem is null; i++)
        {
            var arg = args[i];
            var value = i + 1 < args.Count ? args[i + 1] : null;
            if (arg.StartsWith("--", StringComparison.Ordinal) && value is null)
            {
                parsed.Problem = $"{arg} needs a value.";
                break;
            }

            switch (arg)
            {
                case "--workflow-id": parsed.WorkflowId = value; i++; break;
                case "--source-root": parsed.SourceRoot = value; i++; break;
                case "--config": parsed.ConfigFile = value; i++; break;
                case "--allow-remote": parsed.AllowedRemoteHosts.Add(value!); i++; break;
                case "--server": parsed.AddServer(value!); i++; break;
                case "--input" or "--input-json": parsed.AddInput(arg, value!); i++; break;
                default:
                    if (arg.StartsWith("--", StringComparison.Ordinal) || parsed.File is not null)
                    {
                        parsed.Problem = $"Unknown argument '{arg}'.";
                    }

                    parsed.File = arg;
                    break;
            }
        }

        if (parsed.Problem is null && parsed.File is null)
        {
            parsed.Problem = "FILE is required.";
        }

        return parsed;
    }

    private void AddServer(string value)
    {
        var eq = value.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || !Uri.TryCreate(value[(eq + 1)..], UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            Problem = $"--server takes NAME=URL with an absolute http(s) URL, got '{value}'.";
            return;
        }

        Servers[value[..eq]] = url;
    }

    private void AddInput(string option, string value)
    {
        var eq = value.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            Problem = $"{option} takes name=value, got a value without '='.";
            return;
        }

        try
        {
            Inputs[value[..eq]] = option == "--input" ? JsonValue.Create(value[(eq + 1)..]) : JsonNode.Parse(value[(eq + 1)..]);
        }
        catch (JsonException)
        {
            Problem = $"--input-json {value[..eq]}: the value is not valid JSON.";
        }
    }
}
