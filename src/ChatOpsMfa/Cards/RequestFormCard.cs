using System.Text.Json.Nodes;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Okta;

namespace ChatOpsMfa.Cards;

/// <summary>The employee's form: which new factor to enrol, and the phone or email it needs.</summary>
public static class RequestFormCard
{
    public const string TemplateName = "request-form";

    /// <summary>An E.164 example for the phone hint (a fictional San Francisco number).</summary>
    public const string PhoneExample = "+14155550123";

    private const char ChoiceSeparator = '|';

    /// <summary>
    /// The form offering <paramref name="allowed"/>, keeping only pairs Okta accepts. The security question
    /// is offered only with questions to pick from (Okta needs one of its own question keys).
    /// </summary>
    /// <param name="error">Shown at the top, e.g. why the last submission was refused. Never include the input.</param>
    public static CardContent Create(
        IEnumerable<FactorKind> allowed,
        string? error = null,
        IReadOnlyList<SecurityQuestionChoice>? securityQuestions = null)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        var questions = securityQuestions ?? [];
        var offered = allowed
            .Select(k => FactorCatalog.Find(k.FactorType, k.Provider))
            .OfType<FactorKind>()
            .Where(k => k.Needs != FactorProfileNeed.SecurityQuestion || questions.Count > 0)
            .Distinct()
            .ToList();

        var data = new JsonObject
        {
            ["factors"] = new JsonArray(offered.Select(k => (JsonNode)new JsonObject
            {
                ["title"] = k.Label,
                ["value"] = ChoiceValue(k),
                ["needs"] = k.Needs.ToString(),
            }).ToArray()),
            ["needsPhone"] = offered.Any(k => k.Needs == FactorProfileNeed.PhoneNumber),
            ["needsEmail"] = offered.Any(k => k.Needs == FactorProfileNeed.Email),
            ["phoneExample"] = PhoneExample,
        };
        if (offered.Any(k => k.Needs == FactorProfileNeed.SecurityQuestion))
        {
            data["securityQuestions"] = new JsonArray(questions.Select(q => (JsonNode)new JsonObject
            {
                ["title"] = q.Text,
                ["value"] = q.Key,
            }).ToArray());
        }

        data.SetIfPresent("error", error);
        return new CardContent(TemplateName, data);
    }

    /// <summary>The choice value for a factor: "factorType|provider" (factor types contain ':', never '|').</summary>
    public static string ChoiceValue(FactorKind factor)
    {
        ArgumentNullException.ThrowIfNull(factor);
        return $"{factor.FactorType}{ChoiceSeparator}{factor.Provider}";
    }

    /// <summary>The factor a submitted choice names, or null when it is not a pair Okta accepts.</summary>
    public static FactorKind? ParseChoice(string? value)
    {
        var parts = value?.Split(ChoiceSeparator);
        return parts is [var factorType, var provider] ? FactorCatalog.Find(factorType, provider) : null;
    }
}
