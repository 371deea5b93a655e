using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// Checks run inputs against the workflow's <c>inputs</c> JSON Schema. Messages name the input and the
/// failing keyword, never the value (inputs carry secrets such as API tokens).
/// </summary>
internal static class InputValidator
{
    public static string? Validate(ArazzoWorkflow workflow, IReadOnlyDictionary<string, JsonNode?> inputs)
    {
        if (workflow.Inputs is not JsonObject schemaNode)
        {
            return null;
        }

        if (schemaNode["required"] is JsonArray required)
        {
            var missing = required.Select(r => r?.GetValue<string>()).Where(name => name is not null && !inputs.ContainsKey(name)).ToList();
            if (missing.Count > 0)
            {
                return $"missing required input(s): {string.Join(", ", missing.Select(m => $"'{m}'"))}";
            }
        }

        var instance = new JsonObject();
        foreach (var (name, value) in inputs)
        {
            instance[name] = value?.DeepClone();
        }

        EvaluationResults results;
        try
        {
            var schema = JsonSchema.FromText(schemaNode.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
            results = schema.Evaluate(JsonSerializer.SerializeToElement(instance), new EvaluationOptions { OutputFormat = OutputFormat.List });
        }
        catch (Exception exception) when (exception is JsonSchemaException or JsonException or InvalidOperationException)
        {
            // A $ref this runner does not resolve (remote, or outside components.inputs): say so rather than crash.
            return $"the workflow's inputs schema cannot be evaluated ({exception.GetType().Name}); keep $ref within #/components/inputs";
        }

        if (results.IsValid)
        {
            return null;
        }

        var problems = (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .Select(d => (Input: d.InstanceLocation.ToString(), Keywords: string.Join("/", d.Errors!.Keys)))
            .Select(p => p.Input.Length > 0 ? $"input '{Unescape(p.Input)}' does not match its schema ({p.Keywords})" : $"the inputs do not match the schema ({p.Keywords})")
            .Distinct()
            .ToList();
        return problems.Count > 0 ? string.Join("; ", problems) : "the inputs do not match the workflow's inputs schema";
    }

    private static string Unescape(string pointer) => string.Join(".", JsonPointerPath.Split(pointer));
}
