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
    DateTimeOffset? LastLogin,
    string? MobilePhone = null,
    string? PrimaryPhone = null,
    string? ManagerId = null,
    IReadOnlyDictionary<string, string>? Attributes = null)
{
    /// <summary>A string-valued profile attribute (a custom one such as <c>slackUserId</c>), or null.</summary>
    public string? Attribute(string name) => Attributes is not null && Attributes.TryGetValue(name, out var value) ? value : null;

    public string DisplayName =>
        string.Join(' ', new[] { FirstName, LastName }.Where(s => !string.IsNullOrWhiteSpace(s))) is { Length: > 0 } name
            ? name
            : Login ?? Id;

    // Records print every property; phone numbers never reach a log line or an exception text.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Id = {Id}, Status = {Status}, Login = {Login}");
        return true;
    }
}
