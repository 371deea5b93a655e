using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Tests.Cards;

/// <summary>
/// The official Adaptive Cards templating engine (npm's <c>adaptivecards-templating</c>, pinned with its
/// <c>adaptive-expressions</c> in tests/templating/package-lock.json), run by node through tests/templating/bind.js.
/// <c>.ci/run</c> installs it; on a developer's machine without node or the package the tests that need it skip
/// and say why, and under <c>CI=true</c> they fail instead, so CI can never pass without the comparison.
/// </summary>
internal static class OfficialTemplatingEngine
{
    public static string Folder => Path.Combine(RepoPaths.Root, "tests", "templating");

    private static string Package => Path.Combine(Folder, "node_modules", "adaptivecards-templating", "package.json");

    /// <summary>Each job's expanded card, in order; a job the engine refused comes back as <c>{"error": "..."}</c>.</summary>
    public static async Task<JsonArray> ExpandAsync(IEnumerable<(JsonNode Template, JsonNode? Data)> jobs, CancellationToken cancellationToken)
    {
        var node = Require();
        var input = new JsonArray(jobs.Select(j => (JsonNode)new JsonObject { ["template"] = j.Template.DeepClone(), ["data"] = j.Data?.DeepClone() }).ToArray());
        var start = new ProcessStartInfo(node, [Path.Combine(Folder, "bind.js")])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Folder,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardInput.WriteAsync(input.ToJsonString().AsMemory(), cancellationToken);
        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken);
        Assert.True(process.ExitCode == 0, $"bind.js exited with {process.ExitCode}: {await errors}");
        return JsonNode.Parse(await output)!.AsArray();
    }

    /// <summary>The node executable; skips the test (fails it under CI) when node or the package is missing.</summary>
    private static string Require()
    {
        var node = FindOnPath("node");
        var reason = node is null
            ? "node is not on PATH; install Node.js (.ci/run does: apt-get install nodejs npm)."
            : !File.Exists(Package)
                ? $"adaptivecards-templating is not installed; run: npm ci --prefix {Path.GetRelativePath(RepoPaths.Root, Folder)}"
                : null;
        if (reason is null)
        {
            return node!;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(reason);
        }

        Assert.Skip(reason);
        return "";
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
