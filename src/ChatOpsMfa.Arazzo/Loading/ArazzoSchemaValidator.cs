using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// Validates a document against the official Arazzo 1.0 JSON Schema (embedded, unmodified), with the
/// released schema's two known quirks relaxed in memory because the spec text wins (see Schema/README.md).
/// </summary>
internal static partial class ArazzoSchemaValidator
{
    private const string ResourceName = "ChatOpsMfa.Arazzo.arazzo-1.0.schema.json";

    private static readonly Lazy<JsonSchema> Schema = new(BuildSchema);

    /// <summary>
    /// Returns the schema errors, one per problem: only failing nodes are followed (an <c>if</c> that does not hold,
    /// or a valid branch of <c>anyOf</c>, is no problem), a failed <c>oneOf</c>/<c>anyOf</c> is explained by the branch
    /// that got furthest into the document, and each place gets one message. Empty when the document conforms.
    /// </summary>
    public static IReadOnlyList<(string Pointer, string Message)> Validate(JsonNode? document)
    {
        var instance = JsonSerializer.SerializeToElement(document);

        // The flag output stops at the first failure: cheap for the common, valid document. Only an invalid one pays
        // for the full hierarchical evaluation that explains it.
        if (Schema.Value.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.Flag }).IsValid)
        {
            return [];
        }

        var results = Schema.Value.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
        if (results.IsValid)
        {
            return [];
        }

        var found = new List<(string Pointer, string Keyword, string Message)>();
        Collect(results, found);

        // "Not allowed here" (unevaluatedProperties) follows from a failed branch; the branch's own error says more.
        found.RemoveAll(e => e.Keyword.Length == 0 && found.Any(o => o.Keyword.Length > 0 && (o.Pointer == e.Pointer || o.Pointer.StartsWith(e.Pointer + "/", StringComparison.Ordinal))));
        var errors = found
            .GroupBy(e => e.Pointer, StringComparer.Ordinal)
            .Select(g => g.OrderBy(e => e.Keyword.Length == 0 ? 1 : 0).First())
            .Select(e => (e.Pointer, e.Keyword.Length == 0 ? "schema: this property is not allowed here" : $"schema ({e.Keyword}): {e.Message}"))
            .ToList();
        if (errors.Count == 0)
        {
            errors.Add((string.Empty, "the document does not conform to the Arazzo 1.0 schema"));
        }

        return errors;
    }

    private static void Collect(EvaluationResults node, List<(string Pointer, string Keyword, string Message)> found)
    {
        if (node.IsValid)
        {
            return;
        }

        var details = (node.Details ?? []).Where(d => !IsCondition(d)).ToList();
        foreach (var group in details.GroupBy(Combinator))
        {
            var failing = group.Where(d => !d.IsValid).ToList();
            var valid = group.Count() - failing.Count;
            if (group.Key is null)
            {
                failing.ForEach(child => Collect(child, found));
            }
            else if (valid == 0 && failing.Count > 0)
            {
                found.AddRange(Explain(failing));
            }
            else if (group.Key == "oneOf" && valid > 1)
            {
                found.Add((node.InstanceLocation.ToString(), "oneOf", $"exactly one of the alternatives may match, {valid} do (for example operationId and workflowId together)"));
            }

            // Otherwise the oneOf/anyOf holds: its failed branches are no problem.
        }

        foreach (var (keyword, message) in node.Errors ?? new Dictionary<string, string>())
        {
            if (keyword is not ("oneOf" or "anyOf"))
            {
                found.Add((node.InstanceLocation.ToString(), keyword, message));
            }
        }
    }

    /// <summary>
    /// Every branch of a oneOf/anyOf failed: explain with the branch that accepted most of the node (the fewest
    /// properties it does not allow: a malformed action fails the Reusable Object branch on every property it has),
    /// then with the one whose problems lie deepest (it matched the most). When each branch only misses one required
    /// property of the same node (a goto with neither stepId nor workflowId), one message names them all.
    /// </summary>
    private static List<(string Pointer, string Keyword, string Message)> Explain(List<EvaluationResults> failing)
    {
        var explained = failing
            .Select(branch =>
            {
                var errors = new List<(string Pointer, string Keyword, string Message)>();
                Collect(branch, errors);
                return (Branch: branch, Errors: errors);
            })
            .ToList();
        if (explained.Count > 1 && explained.All(b => b.Errors.Count == 1 && b.Errors[0].Keyword == "required" && b.Errors[0].Pointer == explained[0].Errors[0].Pointer))
        {
            var names = explained.SelectMany(b => RequiredNames().Matches(b.Errors[0].Message).Select(m => m.Groups[1].Value)).Distinct().ToList();
            if (names.Count == explained.Count)
            {
                return [(explained[0].Errors[0].Pointer, "required", $"one of the properties {string.Join(" or ", names.Select(n => $"'{n}'"))} is required")];
            }
        }

        return explained.OrderBy(b => b.Errors.Count(e => e.Keyword.Length == 0)).ThenByDescending(b => Depth(b.Branch)).First().Errors;
    }

    [System.Text.RegularExpressions.GeneratedRegex("\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex RequiredNames();

    /// <summary>"oneOf" or "anyOf" when the node is one of their branches, otherwise null.</summary>
    private static string? Combinator(EvaluationResults node)
    {
        var path = node.EvaluationPath.ToString();
        var slash = path.LastIndexOf('/');
        var parent = slash > 0 ? path[..slash] : string.Empty;
        return parent.EndsWith("/oneOf", StringComparison.Ordinal) ? "oneOf" : parent.EndsWith("/anyOf", StringComparison.Ordinal) ? "anyOf" : null;
    }

    private static bool IsCondition(EvaluationResults node) =>
        node.EvaluationPath.ToString().EndsWith("/if", StringComparison.Ordinal) || node.EvaluationPath.ToString().Contains("/not", StringComparison.Ordinal);

    private static int Depth(EvaluationResults node)
    {
        var own = node.IsValid ? 0 : node.InstanceLocation.ToString().Count(c => c == '/');
        return Math.Max(own, (node.Details ?? []).Where(d => !d.IsValid).Select(Depth).DefaultIfEmpty(0).Max());
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

        // The released schema's "Criterion Expression Type Object" bug: the criterion object's anyOf applies
        // criterion-expression-type-object to the criterion itself instead of to its `type` property, so a valid
        // `type: { type: jsonpath, version: draft-goessner-dispatch-jsonpath-00 }` fails both branches. The spec
        // (Criterion Object, field `type`: string | Criterion Expression Type Object) wins: the second branch
        // validates the value of `type`.
        var criterion = defs["criterion-object"]!.AsObject();
        criterion["anyOf"]![1] = JsonNode.Parse("""{ "properties": { "type": { "$ref": "#/$defs/criterion-expression-type-object" } } }""");

        // Spec: a replacement value is "Any | {expression}", not only a string.
        var replacement = defs["payload-replacement-object"]!.AsObject();
        replacement["properties"]!["value"] = JsonNode.Parse("""{ "description": "The value set within the target location" }""");
    }
}
