using System.Text.Json.Nodes;
using ChatOpsMfa.Arazzo;

namespace ChatOpsMfa.Hosting;

/// <summary>The arguments of <c>workflow run</c>. Anything it does not know is passed on as configuration (--Key=value).</summary>
internal sealed record RunArguments(string? WorkflowId, IReadOnlyDictionary<string, JsonNode?> Inputs, string[] ConfigurationArgs, string? Problem, string? SourceRoot = null)
{
    /// <summary>--server NAME=URL: the base URL of source description NAME.</summary>
    public IReadOnlyDictionary<string, Uri> Servers { get; init; } = new Dictionary<string, Uri>();

    /// <summary>--allow-remote HOST: a host remote source descriptions may be fetched from (with Arazzo:AllowRemoteHosts).</summary>
    public IReadOnlyList<string> AllowedRemoteHosts { get; init; } = [];

    /// <summary>The arguments of <c>workflow validate FILE</c>: --source-root, --allow-remote and configuration only.</summary>
    public static RunArguments ParseValidate(IReadOnlyList<string> args)
    {
        var parsed = Parse(args, requireWorkflowId: false);
        return parsed.Problem is null && (parsed.WorkflowId is not null || parsed.Inputs.Count > 0 || parsed.Servers.Count > 0)
            ? Fail("validate takes --source-root DIR and --allow-remote HOST only.")
            : parsed;
    }

    public static RunArguments Parse(IReadOnlyList<string> args) => Parse(args, requireWorkflowId: true);

    private static RunArguments Parse(IReadOnlyList<string> args, bool requireWorkflowId)
    {
        string? workflowId = null;
        string? sourceRoot = null;
        var allowRemote = new List<string>();
        var servers = new Dictionary<string, Uri>(StringComparer.Ordinal);
        var inputs = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var configuration = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (arg)
            {
                case "--server" when value is not null:
                    if (RunArgumentValues.AddServer(value, servers) is { } serverProblem)
                    {
                        return Fail(serverProblem);
                    }

                    i++;
                    break;
                case "--source-root" when value is not null:
                    sourceRoot = value;
                    i++;
                    break;
                case "--allow-remote" when value is not null:
                    allowRemote.Add(value);
                    i++;
                    break;
                case "--workflow-id" when value is not null:
                    workflowId = value;
                    i++;
                    break;
                case "--input" or "--input-json" when value is not null:
                    if (RunArgumentValues.InputName(value) == "oktaApiToken")
                    {
                        return Fail("oktaApiToken comes from configuration (Okta:Client:Token), never from the command line.");
                    }

                    if (RunArgumentValues.AddInput(arg, value, inputs) is { } inputProblem)
                    {
                        return Fail(inputProblem);
                    }

                    i++;
                    break;
                default:
                    configuration.Add(arg);
                    break;
            }
        }

        return workflowId is null && requireWorkflowId
            ? Fail("--workflow-id is required.")
            : new RunArguments(workflowId, inputs, [.. configuration], null, sourceRoot) { Servers = servers, AllowedRemoteHosts = allowRemote };
    }

    private static RunArguments Fail(string problem) => new(null, new Dictionary<string, JsonNode?>(), [], problem);
}
