using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatOpsMfa.Okta.Sandbox;
using Json.Schema;
using Microsoft.OpenApi;

namespace ChatOpsMfa.Tests.Okta;

/// <summary>
/// Checks a request the bot actually sent (as the sandbox recorded it) against Okta's OFFICIAL OpenAPI description:
/// the operation exists for that method and path, path and query parameters are declared and fit their schemas,
/// and the JSON body fits the requestBody schema. Also checks an answer (the sandbox's) against the operation's
/// response schema. OpenAPI 3.0 schemas are converted to JSON Schema 2020-12 by serialising them as OpenAPI 3.1 (whose schema dialect is JSON Schema) and evaluated with JsonSchema.Net.
/// </summary>
internal sealed partial class OktaRequestValidator
{
    private static readonly Lazy<Task<OktaRequestValidator>> Shared = new(CreateAsync);

    private readonly OpenApiDocument _document;
    private readonly JsonObject _componentSchemas;
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new();
    private readonly (HttpMethod Method, string Template, Regex Pattern, IOpenApiPathItem PathItem, OpenApiOperation Operation)[] _operations;

    private OktaRequestValidator(OpenApiDocument document, JsonObject componentSchemas)
    {
        _document = document;
        _componentSchemas = componentSchemas;
        _operations = OktaOpenApiDocuments.Operations(document)
            .Select(o => (o.Method, o.Path, TemplatePattern(o.Path), o.PathItem, o.Operation))
            // Literal segments beat parameters: /users/{id}/groups before /users/{id}/{anything}.
            .OrderBy(o => o.Path.Count(c => c == '{'))
            .ToArray();
    }

    /// <summary>The validator for Okta's official description, loaded once.</summary>
    public static Task<OktaRequestValidator> ForOfficialDescriptionAsync() => Shared.Value;

    /// <summary>Problems found; empty when Okta's description accepts the request.</summary>
    public async Task<IReadOnlyList<string>> ValidateAsync(RecordedOktaRequest request, string? expectedOperationId = null)
    {
        var problems = new List<string>();
        var path = request.Path;
        var match = _operations
            .Select(o => (Op: o, Match: o.Pattern.Match(path)))
            .FirstOrDefault(o => o.Match.Success && o.Op.Method.Method.Equals(request.Method, StringComparison.OrdinalIgnoreCase));
        if (match.Op.Operation is null)
        {
            return [$"{request.Method} {path}: no such operation in Okta's description."];
        }

        var (_, template, _, pathItem, operation) = match.Op;
        if (expectedOperationId is not null && operation.OperationId != expectedOperationId)
        {
            problems.Add($"{request.Method} {path} is {operation.OperationId}, expected {expectedOperationId}.");
        }

        var parameters = (operation.Parameters ?? []).Concat(pathItem.Parameters ?? [])
            .DistinctBy(p => (p.Name, p.In)).ToArray();

        foreach (var parameter in parameters.Where(p => p.In == ParameterLocation.Path))
        {
            var group = match.Match.Groups[GroupName(parameter.Name!)];
            if (!group.Success || group.Value.Length == 0)
            {
                problems.Add($"path parameter '{parameter.Name}' is missing ({template}).");
                continue;
            }

            problems.AddRange(await CheckValueAsync($"path parameter '{parameter.Name}'", parameter, Uri.UnescapeDataString(group.Value)));
        }

        var query = ParseQuery(request.Query);
        foreach (var (name, value) in query)
        {
            var parameter = parameters.FirstOrDefault(p => p.In == ParameterLocation.Query && p.Name == name);
            if (parameter is null)
            {
                problems.Add($"query parameter '{name}' is not defined for {operation.OperationId}.");
                continue;
            }

            problems.AddRange(await CheckValueAsync($"query parameter '{name}'", parameter, value));
        }

        problems.AddRange(parameters
            .Where(p => p.Required && p.In == ParameterLocation.Query && !query.Any(q => q.Name == p.Name))
            .Select(p => $"required query parameter '{p.Name}' is missing."));

        problems.AddRange(await CheckBodyAsync(operation, request.Body));
        return problems;
    }

    /// <summary>
    /// Problems with an answer to <paramref name="operationId"/>: the status must be one the operation documents, and
    /// the body must fit that response's JSON schema (or be empty when the response has none, like unenrollFactor's 204).
    /// </summary>
    /// <remarks>
    /// Okta's own examples contradict its schemas in one place the sandbox copies: <c>_links.resend</c> is an array of
    /// links in EnrollFactorSmsResponse (and the other sms/call/email examples) but a single HrefObject in LinksResend.
    /// The sandbox follows the examples (what Okta sends), so that one finding is set aside unless
    /// <paramref name="setAsideOktaExampleConflicts"/> is false; a test shows Okta's example trips exactly it.
    /// </remarks>
    public async Task<IReadOnlyList<string>> ValidateResponseAsync(string operationId, int statusCode, string body, bool setAsideOktaExampleConflicts = true)
    {
        var operation = _operations.Select(o => o.Operation).FirstOrDefault(o => o.OperationId == operationId)
            ?? throw new ArgumentException($"{operationId} is not in Okta's description.", nameof(operationId));
        var code = statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses is null || !(operation.Responses.TryGetValue(code, out var response) || operation.Responses.TryGetValue("default", out response)))
        {
            return [$"{operationId} does not document a {code} response."];
        }

        if (response.Content is null || !response.Content.TryGetValue("application/json", out var media) || media.Schema is null)
        {
            return string.IsNullOrEmpty(body) ? [] : [$"{operationId} {code} has no JSON body, but one was sent."];
        }

        JsonNode? instance;
        try
        {
            instance = JsonNode.Parse(body);
        }
        catch (JsonException ex)
        {
            return [$"{operationId} {code}: body is not JSON: {ex.Message}"];
        }

        var schema = await SchemaForAsync($"{operationId}#response#{code}", media.Schema);
        var what = $"{operationId} {code} body";
        return Evaluate(schema, instance, what)
            .Where(p => !setAsideOktaExampleConflicts || !p.Contains("/_links/resend: type: ", StringComparison.Ordinal))
            .ToArray();
    }

    /// <summary>Problems with a value against one of the description's component schemas (e.g. UserFactorActivatePush).</summary>
    public async Task<IReadOnlyList<string>> ValidateComponentAsync(string schemaName, JsonNode? instance)
    {
        var component = _document.Components?.Schemas?.TryGetValue(schemaName, out var found) == true
            ? found
            : throw new ArgumentException($"{schemaName} is not a schema in Okta's description.", nameof(schemaName));
        var schema = await SchemaForAsync($"component#{schemaName}", component);
        return Evaluate(schema, instance, schemaName).ToArray();
    }

    private async Task<IEnumerable<string>> CheckBodyAsync(OpenApiOperation operation, string body)
    {
        var requestBody = operation.RequestBody;
        if (string.IsNullOrWhiteSpace(body))
        {
            return requestBody?.Required == true ? [$"{operation.OperationId} requires a request body."] : [];
        }

        if (requestBody?.Content is null || !requestBody.Content.TryGetValue("application/json", out var media) || media.Schema is null)
        {
            return [$"{operation.OperationId} takes no JSON body, but one was sent."];
        }

        JsonNode? instance;
        try
        {
            instance = JsonNode.Parse(body);
        }
        catch (JsonException ex)
        {
            return [$"body is not JSON: {ex.Message}"];
        }

        var schema = await SchemaForAsync($"{operation.OperationId}#body", media.Schema);
        return Evaluate(schema, instance, "body");
    }

    private async Task<IEnumerable<string>> CheckValueAsync(string what, IOpenApiParameter parameter, string raw)
    {
        if (parameter.Schema is null)
        {
            return [];
        }

        var schema = await SchemaForAsync($"{what}#{parameter.Name}#{parameter.In}", parameter.Schema);
        // Query and path values are text; read them as the JSON value their schema type describes.
        JsonNode? instance = (parameter.Schema.Type ?? 0) switch
        {
            var t when t.HasFlag(JsonSchemaType.Boolean) && bool.TryParse(raw, out var b) && raw == raw.ToLowerInvariant() => JsonValue.Create(b),
            var t when (t.HasFlag(JsonSchemaType.Integer) || t.HasFlag(JsonSchemaType.Number)) && decimal.TryParse(raw, System.Globalization.CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
            _ => JsonValue.Create(raw),
        };
        return Evaluate(schema, instance, what);
    }

    private static IEnumerable<string> Evaluate(JsonSchema schema, JsonNode? instance, string what)
    {
        using var document = JsonDocument.Parse(instance?.ToJsonString() ?? "null");
        var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return [];
        }

        var errors = (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{what}{d.InstanceLocation}: {e.Key}: {e.Value}"))
            .ToArray();
        return errors.Length > 0 ? errors : [$"{what} does not match its schema."];
    }

    private async Task<JsonSchema> SchemaForAsync(string key, IOpenApiSchema openApiSchema)
    {
        if (_schemas.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var root = JsonNode.Parse(RewriteRefs(await openApiSchema.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1)))!.AsObject();
        var definitions = new JsonObject();
        var pending = new Queue<JsonNode>([root]);
        while (pending.TryDequeue(out var node))
        {
            foreach (var name in RefNames(node))
            {
                if (!definitions.ContainsKey(name) && _componentSchemas[name] is { } definition)
                {
                    var copy = definition.DeepClone();
                    definitions[name] = copy;
                    pending.Enqueue(copy);
                }
            }
        }

        root["$defs"] = definitions;
        StripOpenApiKeywords(root);
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        var schema = JsonSchema.FromText(root.ToJsonString());
        _schemas[key] = schema;
        return schema;
    }

    private static async Task<OktaRequestValidator> CreateAsync()
    {
        var document = await OktaOpenApiDocuments.Official;
        var components = JsonNode.Parse(RewriteRefs(await document.Components!.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1)))!;
        return new OktaRequestValidator(document, components["schemas"]!.AsObject());
    }

    /// <summary>
    /// OpenAPI adds annotation keywords (example, discriminator, xml, externalDocs, x-…) that the strict JSON Schema
    /// 2020-12 dialect rejects; none of them constrain a value, so they are dropped.
    /// </summary>
    private static void StripOpenApiKeywords(JsonNode? schema)
    {
        if (schema is JsonArray array)
        {
            foreach (var item in array)
            {
                StripOpenApiKeywords(item);
            }

            return;
        }

        if (schema is not JsonObject obj)
        {
            return;
        }

        foreach (var key in obj.Select(p => p.Key).ToArray())
        {
            if (key is "example" or "examples" or "discriminator" or "xml" or "externalDocs" || key.StartsWith("x-", StringComparison.Ordinal))
            {
                obj.Remove(key);
            }
        }

        foreach (var (key, value) in obj)
        {
            if (key is "properties" or "$defs" or "patternProperties" or "dependentSchemas" && value is JsonObject map)
            {
                foreach (var (_, subschema) in map)
                {
                    StripOpenApiKeywords(subschema);
                }
            }
            else if (key is "items" or "additionalProperties" or "not" or "allOf" or "anyOf" or "oneOf" or "prefixItems" or "contains" or "if" or "then" or "else")
            {
                StripOpenApiKeywords(value);
            }
        }
    }

    private static string RewriteRefs(string json) => json.Replace("\"#/components/schemas/", "\"#/$defs/", StringComparison.Ordinal);

    private static IEnumerable<string> RefNames(JsonNode node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Key == "$ref" && p.Value is JsonValue v && v.TryGetValue<string>(out var r) && r.StartsWith("#/$defs/", StringComparison.Ordinal)
            ? [r["#/$defs/".Length..]]
            : p.Value is null ? [] : RefNames(p.Value)).ToArray(),
        JsonArray array => array.Where(i => i is not null).SelectMany(i => RefNames(i!)).ToArray(),
        _ => [],
    };

    private static List<(string Name, string Value)> ParseQuery(string query) =>
        query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(kv => (Uri.UnescapeDataString(kv[0]), kv.Length > 1 ? Uri.UnescapeDataString(kv[1].Replace('+', ' ')) : ""))
            .ToList();

    private static Regex TemplatePattern(string template) =>
        new("^" + TemplateParameter().Replace(Regex.Escape(template).Replace(@"\{", "{", StringComparison.Ordinal), m => $"(?<{GroupName(m.Groups[1].Value)}>[^/]+)") + "/?$");

    private static string GroupName(string parameterName) => "p_" + NonWord().Replace(parameterName, "_");

    [GeneratedRegex(@"\{([^}/]+)\}")]
    private static partial Regex TemplateParameter();

    [GeneratedRegex(@"\W")]
    private static partial Regex NonWord();
}
