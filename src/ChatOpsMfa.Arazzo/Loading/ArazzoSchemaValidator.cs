using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// Validates a document against the official Arazzo 1.0 JSON Schema (embedded, unmodified), with the
/// released schema's two known quirks relaxed in memory because the spec text wins (see Schema/README.md).
/// </summary>
internal static class ArazzoSchemaValidator
{
    private const string ResourceName = "ChatOpsMfa.Arazzo.arazzo-1.0.schema.json";

    private static readonly Lazy<JsonSchema> Schema = new(BuildSchema);

    /// <summary>Returns one (pointer, message) per schema error; empty when the document conforms.</summary>
    public static IReadOnlyList<(string Pointer, string Message)> Validate(JsonNode? document)
    {
        var instance = JsonSerializer.SerializeToElement(document);
        var results = Schema.Value.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        var errors = new List<(string, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var detail in results.Details ?? [])
        {
            if (detail.Errors is null)
            {
                continue;
            }

            foreach (var (keyword, message) in detail.Errors)
            {
                var pointer = detail.InstanceLocation.ToString();
                if (seen.Add(pointer + "\n" + keyword + "\n" + message))
                {
                    errors.Add((pointer, $"schema ({keyword}): {message}"));
                }
            }
        }

        if (errors.Count == 0)
        {
            errors.Add((string.Empty, "the document does not conform to the Arazzo 1.0 schema"));
        }

        return errors;
    }

    internal static JsonNode LoadOfficialSchema()
    {
        using var stream = typeof(ArazzoSchemaValidator).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        return JsonNode.Parse(stream) ?? throw new InvalidOperationException("The embedded Arazzo schema is empty.");
    }

    private static JsonSchema BuildSchema()
    {
        var schema = LoadOfficialSchema();
        RelaxKnownQuirks(schema);
        var buildOptions = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        return JsonSchema.FromText(schema.ToJsonString(), buildOptions);
    }

    private static void RelaxKnownQuirks(JsonNode schema)
    {
        var defs = schema["$defs"]!.AsObject();

        // Spec: retry may name a step or workflow to run first, and retryAfter is optional.
        var failureAction = defs["failure-action-object"]!.AsObject();
        failureAction["allOf"] = JsonNode.Parse(
            """
            [ { "if": { "properties": { "type": { "const": "goto" } } },
                "then": { "oneOf": [ { "required": ["workflowId"] }, { "required": ["stepId"] } ] } },
              { "not": { "required": ["workflowId", "stepId"] } } ]
            """);

        // Spec: a replacement value is "Any | {expression}", not only a string.
        var replacement = defs["payload-replacement-object"]!.AsObject();
        replacement["properties"]!["value"] = JsonNode.Parse("""{ "description": "The value set within the target location" }""");
    }
}
