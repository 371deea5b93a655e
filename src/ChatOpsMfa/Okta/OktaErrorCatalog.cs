namespace ChatOpsMfa.Okta;

/// <summary>
/// Plain-language explanations for the Okta error codes the bot meets. Codes and statuses follow Okta's error-code
/// catalogue (okta-developer-docs error-codes.json; a test checks them against it); the wording is ours, written
/// for the person in the chat rather than for a developer.
/// </summary>
internal static class OktaErrorCatalog
{
    internal sealed record Entry(int Status, string Explanation);

    internal static IReadOnlyDictionary<string, Entry> Entries { get; } = new Dictionary<string, Entry>(StringComparer.Ordinal)
    {
        ["E0000001"] = new(400, "Okta refused the request as invalid."),
        ["E0000003"] = new(400, "Okta could not read the request body."),
        ["E0000004"] = new(401, "Okta refused the bot's credentials."),
        ["E0000005"] = new(403, "Okta says the session is not valid."),
        ["E0000006"] = new(403, "The bot's Okta API token is not allowed to do this (check the token admin's role)."),
        ["E0000007"] = new(404, "Okta has no such user or factor."),
        ["E0000009"] = new(500, "Okta had an internal error."),
        ["E0000011"] = new(401, "Okta rejected the bot's API token (missing, wrong, expired or revoked)."),
        ["E0000038"] = new(403, "Okta does not allow this while the user is in their current status."),
        ["E0000047"] = new(429, "Okta's rate limit was reached; try again in a minute."),
        ["E0000068"] = new(403, "The code did not match; check the authenticator app and try again."),
        ["E0000069"] = new(403, "The user is locked out in Okta."),
        ["E0000109"] = new(429, "An SMS was sent to this number less than 30 seconds ago; wait and try again."),
        ["E0000133"] = new(429, "A call was made to this number less than 30 seconds ago; wait and try again."),
    };

    public static string? Explain(string? errorCode) =>
        errorCode is not null && Entries.TryGetValue(errorCode, out var entry) ? entry.Explanation : null;
}
