using System.Text.Json.Nodes;
using ChatOpsMfa.Arazzo;

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

    private void AddServer(string value) => Problem = RunArgumentValues.AddServer(value, Servers);

    private void AddInput(string option, string value) => Problem = RunArgumentValues.AddInput(option, value, Inputs);
}
