using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// Turns a schema-valid document into the typed model, resolving reusable objects
/// (<c>reference: $components.parameters.x</c>) and <c>$ref</c> inputs into components.
/// </summary>
internal sealed class ArazzoModelBuilder(JsonObject root, DiagnosticCollector diagnostics)
{
    private readonly JsonObject? _components = root["components"] as JsonObject;

    public (IReadOnlyList<ArazzoSourceDescription> Sources, IReadOnlyList<ArazzoWorkflow> Workflows) Build()
    {
        var sources = Items(root, "sourceDescriptions", "/sourceDescriptions")
            .Select(item => new ArazzoSourceDescription(Text(item.Node, "name") ?? string.Empty, Text(item.Node, "url") ?? string.Empty, Text(item.Node, "type") ?? "openapi", item.Pointer))
            .ToList();
        var workflows = Items(root, "workflows", "/workflows").Select(item => BuildWorkflow(item.Node, item.Pointer)).ToList();
        return (sources, workflows);
    }

    private ArazzoWorkflow BuildWorkflow(JsonObject node, string pointer) => new(
        Text(node, "workflowId") ?? string.Empty,
        ResolveInputs(node["inputs"], pointer + "/inputs"),
        Items(node, "steps", pointer + "/steps").Select(item => BuildStep(item.Node, item.Pointer)).ToList(),
        Outputs(node, pointer),
        Parameters(node, pointer),
        Actions(node, "successActions", pointer, "successActions"),
        Actions(node, "failureActions", pointer, "failureActions"),
        pointer)
    {
        DependsOn = node["dependsOn"] is JsonArray depends
            ? depends.Select(d => d is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : string.Empty).ToList()
            : [],
    };

    private ArazzoStep BuildStep(JsonObject node, string pointer) => new(
        Text(node, "stepId") ?? string.Empty,
        Text(node, "operationId"),
        Text(node, "operationPath"),
        Text(node, "workflowId"),
        Parameters(node, pointer),
        node["requestBody"] is JsonObject body ? BuildRequestBody(body, pointer + "/requestBody") : null,
        Criteria(node, "successCriteria", pointer),
        Actions(node, "onSuccess", pointer, "successActions"),
        Actions(node, "onFailure", pointer, "failureActions"),
        Outputs(node, pointer),
        pointer);

    private static ArazzoRequestBody BuildRequestBody(JsonObject node, string pointer) => new(
        Text(node, "contentType"),
        node["payload"]?.DeepClone(),
        Items(node, "replacements", pointer + "/replacements")
            .Select(item => new ArazzoPayloadReplacement(Text(item.Node, "target") ?? string.Empty, item.Node["value"]?.DeepClone(), item.Pointer))
            .ToList(),
        pointer);

    private List<ArazzoParameter> Parameters(JsonObject owner, string ownerPointer)
    {
        var result = new List<ArazzoParameter>();
        foreach (var (node, pointer) in Items(owner, "parameters", ownerPointer + "/parameters"))
        {
            if (Resolve(node, pointer, "parameters") is not { } target)
            {
                continue;
            }

            // A reusable parameter may override the referenced value.
            var value = node.ContainsKey("reference") && node.ContainsKey("value") ? node["value"] : target["value"];
            result.Add(new ArazzoParameter(Text(target, "name") ?? string.Empty, Text(target, "in"), value?.DeepClone(), pointer));
        }

        return result;
    }

    private List<ArazzoAction> Actions(JsonObject owner, string key, string ownerPointer, string componentType)
    {
        var result = new List<ArazzoAction>();
        foreach (var (node, pointer) in Items(owner, key, ownerPointer + "/" + key))
        {
            if (Resolve(node, pointer, componentType) is not { } action)
            {
                continue;
            }

            result.Add(new ArazzoAction(
                Text(action, "name") ?? string.Empty,
                Text(action, "type") ?? string.Empty,
                Text(action, "stepId"),
                Text(action, "workflowId"),
                action["retryAfter"] is JsonValue after ? double.Parse(after.ToJsonString(), CultureInfo.InvariantCulture) : null,
                action["retryLimit"] is JsonValue limit ? int.Parse(limit.ToJsonString(), CultureInfo.InvariantCulture) : null,
                Criteria(action, "criteria", pointer),
                pointer));
        }

        return result;
    }

    private static List<ArazzoCriterion> Criteria(JsonObject owner, string key, string ownerPointer) =>
        Items(owner, key, ownerPointer + "/" + key)
            .Select(item => new ArazzoCriterion(
                Text(item.Node, "condition") ?? string.Empty,
                item.Node["type"] switch
                {
                    JsonObject typed => Text(typed, "type") ?? "simple",
                    JsonValue plain when plain.GetValueKind() == JsonValueKind.String => plain.GetValue<string>(),
                    _ => "simple",
                },
                Text(item.Node, "context"),
                item.Pointer))
            .ToList();

    private static Dictionary<string, string> Outputs(JsonObject owner, string ownerPointer)
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (owner["outputs"] is JsonObject map)
        {
            foreach (var (name, value) in map)
            {
                outputs[name] = value is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.String ? scalar.GetValue<string>() : value?.ToJsonString() ?? string.Empty;
            }
        }

        return outputs;
    }

    /// <summary>Follows a Reusable Object to its component; reports and skips a reference that does not resolve.</summary>
    private JsonObject? Resolve(JsonObject node, string pointer, string componentType)
    {
        if (Text(node, "reference") is not { } reference)
        {
            return node;
        }

        var prefix = $"$components.{componentType}.";
        if (reference.StartsWith(prefix, StringComparison.Ordinal)
            && _components?[componentType] is JsonObject group
            && group[reference[prefix.Length..]] is JsonObject target)
        {
            return target;
        }

        diagnostics.Error(pointer + "/reference", $"reference '{reference}' does not name an entry of components.{componentType}");
        return null;
    }

    /// <summary>
    /// The workflow's inputs schema with every <c>$ref: '#/components/inputs/x'</c> (at the top or nested, as the spec's
    /// own examples nest them) replaced by the component, so the schema stands alone when inputs are checked.
    /// </summary>
    private JsonNode? ResolveInputs(JsonNode? inputs, string pointer) => ResolveInputRefs(inputs?.DeepClone(), pointer, 0);

    private JsonNode? ResolveInputRefs(JsonNode? node, string pointer, int depth)
    {
        const string prefix = "#/components/inputs/";
        switch (node)
        {
            case JsonObject schema when Text(schema, "$ref") is { } reference && reference.StartsWith(prefix, StringComparison.Ordinal):
                var name = reference[prefix.Length..];
                if (depth < ArazzoLoadOptions.MaxNestingDepth && _components?["inputs"]?[name] is JsonNode target)
                {
                    return ResolveInputRefs(target.DeepClone(), pointer, depth + 1);
                }

                diagnostics.Error(pointer + "/$ref", depth < ArazzoLoadOptions.MaxNestingDepth
                    ? $"'{reference}' does not name an entry of components.inputs"
                    : $"'{reference}' refers to itself through components.inputs");
                return null;
            case JsonObject schema:
                foreach (var key in schema.Select(p => p.Key).ToList())
                {
                    schema[key] = ResolveInputRefs(schema[key]?.DeepClone(), pointer + "/" + YamlJsonReader.EscapePointer(key), depth + 1);
                }

                return schema;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    array[i] = ResolveInputRefs(array[i]?.DeepClone(), pointer + "/" + i.ToString(CultureInfo.InvariantCulture), depth + 1);
                }

                return array;
            default:
                return node;
        }
    }

    private static IEnumerable<(JsonObject Node, string Pointer)> Items(JsonObject owner, string key, string pointer)
    {
        if (owner[key] is not JsonArray array)
        {
            yield break;
        }

        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonObject item)
            {
                yield return (item, pointer + "/" + i.ToString(CultureInfo.InvariantCulture));
            }
        }
    }

    private static string? Text(JsonObject node, string key) =>
        node[key] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
