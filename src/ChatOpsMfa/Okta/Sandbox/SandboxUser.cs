using System.Text.Json.Nodes;

namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>A user in the sandbox's directory, with the mutable state the fake Okta keeps for them.</summary>
internal sealed class SandboxUser
{
    public required string Id { get; init; }
    public required string Login { get; init; }
    public required string Email { get; init; }
    public required string FirstName { get; init; }
    public required string LastName { get; init; }
    public string? Title { get; init; }
    public string? Department { get; init; }
    public string? Manager { get; init; }

    /// <summary>The manager's Okta user id (the profile's <c>managerId</c>).</summary>
    public string? ManagerId { get; init; }
    public string? MobilePhone { get; init; }
    public string? PrimaryPhone { get; init; }
    public string Status { get; init; } = "ACTIVE";
    public required DateTimeOffset Created { get; init; }
    public DateTimeOffset? LastLogin { get; init; }
    public IReadOnlyList<string> RoleTypes { get; init; } = [];
    public IReadOnlyList<string> GroupIds { get; init; } = [];

    /// <summary>Full factor bodies, as the sandbox returned them at enrolment (status updated on activation).</summary>
    public List<JsonObject> Factors { get; } = [];

    /// <summary>Custom profile attributes (test hook), shown in the profile next to the base ones.</summary>
    public Dictionary<string, string> CustomProfile { get; } = new(StringComparer.Ordinal);

    /// <summary>Every revokeUserSessions answered for this user, oldest first.</summary>
    public List<SessionRevocation> SessionRevocations { get; } = [];

    public string DisplayName => $"{FirstName} {LastName}";

    public bool Matches(string idOrLogin) =>
        string.Equals(Id, idOrLogin, StringComparison.Ordinal) ||
        string.Equals(Login, idOrLogin, StringComparison.OrdinalIgnoreCase) ||
        // Okta also accepts an unambiguous login shortname (the part before '@').
        string.Equals(Login.Split('@')[0], idOrLogin, StringComparison.OrdinalIgnoreCase);
}
