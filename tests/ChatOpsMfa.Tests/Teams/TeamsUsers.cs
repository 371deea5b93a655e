namespace ChatOpsMfa.Tests.Teams;

/// <summary>A Teams member of the test tenant: the 29: id the Connector uses, the Entra object id and the mail.</summary>
public sealed record TeamsTestUser(string MemberId, string Name, string AadObjectId, string Email)
{
    public string PersonalConversationId => "a:1personal-" + MemberId[3..];
}

public static class TeamsUsers
{
    public const string SupportChannelId = "19:support0123456789abcdef@thread.tacv2";

    public static readonly TeamsTestUser Alice = new("29:1alice", "Alice Example", "a11ce000-0000-4000-8000-000000000001", "alice@example.com");
    public static readonly TeamsTestUser Bob = new("29:1bob", "Bob Helper", "b0b00000-0000-4000-8000-000000000002", "bob@example.com");
    public static readonly TeamsTestUser Carol = new("29:1carol", "Carol Admin", "ca201000-0000-4000-8000-000000000003", "carol@example.com");

    /// <summary>Alice's manager in the Okta sandbox (profile.managerId).</summary>
    public static readonly TeamsTestUser Dave = new("29:1dave", "Dave Manager", "da7e0000-0000-4000-8000-000000000004", "dave@example.com");

    /// <summary>A second help-desk analyst with Okta Verify (a privileged target's second approver).</summary>
    public static readonly TeamsTestUser Erin = new("29:1erin", "Erin Desk", "e2140000-0000-4000-8000-000000000005", "erin@example.com");
}

public static class TeamsTestUserExtensions
{
    public static void AddTo(this TeamsTestUser user, Fakes.FakeBotFramework fake) =>
        fake.AddMember(user.MemberId, user.Name, user.AadObjectId, user.Email);
}
