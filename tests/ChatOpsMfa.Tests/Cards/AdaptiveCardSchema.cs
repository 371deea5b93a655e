using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace ChatOpsMfa.Tests.Cards;

/// <summary>
/// Validates cards against the official Adaptive Card 1.5 schema (the highest version Teams renders), read
/// from tests/specs. Every card the bot emits should pass through <see cref="Validate"/>.
/// </summary>
internal static class AdaptiveCardSchema
{

    private static readonly Lazy<JsonSchema> Schema = new(Load);

    /// <summary>Fails the test, listing every schema error, unless <paramref name="card"/> is a valid 1.5 card.</summary>
    public static void Validate(JsonObject card)
    {
        var errors = FindErrors(card);
        if (errors.Count > 0)
        {
            throw new Xunit.Sdk.XunitException(
                $"The card does not validate against the Adaptive Card 1.5 schema:{Environment.NewLine}" +
                string.Join(Environment.NewLine, errors) + Environment.NewLine + card.ToJsonString());
        }
    }

    /// <summary>Schema errors as "instance location: message"; empty when the card is valid.</summary>
    public static IReadOnlyList<string> FindErrors(JsonObject card)
    {
        ArgumentNullException.ThrowIfNull(card);
        using var document = JsonDocument.Parse(card.ToJsonString());
        var results = Schema.Value.Evaluate(
            document.RootElement,
            new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        var errors = (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
            .Distinct()
            .ToList();
        return errors.Count > 0 ? errors : ["invalid (no detail reported)"];
    }

    private static JsonSchema Load()
    {
        var path = FindSchemaFile();
        var options = new BuildOptions { Dialect = Dialect.Draft06, SchemaRegistry = new SchemaRegistry() };
        return JsonSchema.FromText(File.ReadAllText(path), options);
    }

    private static string FindSchemaFile() => Path.Combine(RepoPaths.Specs, "adaptivecards", "adaptive-card-1.5.0.json");
}
