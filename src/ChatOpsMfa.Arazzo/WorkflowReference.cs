using System.Text.RegularExpressions;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// A workflowId as written in a step, an action or dependsOn: a local workflowId, or
/// <c>$sourceDescriptions.name.workflowId</c> for a workflow of an <c>arazzo</c> source description.
/// </summary>
internal static partial class WorkflowReference
{
    /// <summary>The workflow and the document it lives in, or null with <paramref name="error"/> saying why.</summary>
    /// <remarks>The document is null for a local workflow.</remarks>
    public static (ArazzoDocument? Source, ArazzoWorkflow Workflow)? Resolve(
        string reference,
        IReadOnlyList<ArazzoWorkflow> localWorkflows,
        IReadOnlyDictionary<string, ArazzoDocument> arazzoSources,
        out string? error)
    {
        error = null;
        var qualified = Qualified().Match(reference);
        if (!qualified.Success)
        {
            if (localWorkflows.FirstOrDefault(w => w.WorkflowId == reference) is { } local)
            {
                return (null, local);
            }

            error = $"workflow '{reference}' is not in this document";
            return null;
        }

        var sourceName = qualified.Groups["source"].Value;
        var workflowId = qualified.Groups["id"].Value;
        if (!arazzoSources.TryGetValue(sourceName, out var source))
        {
            error = $"'{reference}' names source description '{sourceName}', which is not a loaded arazzo source description";
            return null;
        }

        if (source.FindWorkflow(workflowId) is not { } remote)
        {
            error = $"workflow '{workflowId}' is not in source description '{sourceName}'";
            return null;
        }

        return (source, remote);
    }

    [GeneratedRegex(@"^\$sourceDescriptions\.(?<source>[A-Za-z0-9_\-]+)\.(?<id>.+)$")]
    private static partial Regex Qualified();
}
