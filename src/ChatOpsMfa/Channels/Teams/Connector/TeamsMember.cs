namespace ChatOpsMfa.Channels.Teams.Connector;

/// <summary>A conversation member as the Connector describes it (GET .../members/{id}).</summary>
public sealed record TeamsMember(string Id, string? Name, string? Email, string? UserPrincipalName, string? AadObjectId, string? TenantId);
