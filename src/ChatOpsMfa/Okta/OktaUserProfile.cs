namespace ChatOpsMfa.Okta;

/// <summary>The parts of an Okta user the bot shows or decides on.</summary>
public sealed record OktaUserProfile(
    string Id,
    string? Status,
    string? Login,
    string? Email,
    string? FirstName,
    string? LastName,
    string? Title,
    string? Department,
    string? Manager,
    DateTimeOffset? LastLogin)
{
    public string DisplayName =>
        string.Join(' ', new[] { FirstName, LastName }.Where(s => !string.IsNullOrWhiteSpace(s))) is { Length: > 0 } name
            ? name
            : Login ?? Id;
}
