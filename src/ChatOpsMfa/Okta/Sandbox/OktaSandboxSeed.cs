using System.Text.Json.Nodes;

namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>The people and groups the sandbox starts with. Ids are shaped like Okta's (00u… users, 00g… groups).</summary>
public static class OktaSandboxSeed
{
    public const string AliceId = "00ub0oNGTSWTBKOLGLNR";
    public const string BobId = "00ub0oNGTSWTBKOLHBOB";
    public const string CarolId = "00ub0oNGTSWTBKOLCRL1";
    public const string DaveId = "00ub0oNGTSWTBKOLDAV3";
    public const string ErinId = "00ub0oNGTSWTBKOLER1N";

    /// <summary>
    /// The admin behind the sandbox's API token: the System Log's actor for everything done through the Management
    /// API (resets, enrolments, session revocation), as Okta names the token's owner, never the user acted on.
    /// </summary>
    public const string ServiceAdminId = "00ub0oNGTSWTBKOLSVC1";

    public const string ServiceAdminLogin = "chatops-mfa-service@example.com";

    public const string ServiceAdminDisplayName = "ChatOps MFA Service";

    public const string EveryoneGroupId = "00g1emaKYZTWRYYRRTSK";
    public const string HelpDeskGroupId = "00g1hdSUPPORTdesk0g4";

    internal static IReadOnlyDictionary<string, string> GroupNames { get; } = new Dictionary<string, string>
    {
        [EveryoneGroupId] = "Everyone",
        [HelpDeskGroupId] = "Help Desk",
    };

    internal static List<SandboxUser> CreateUsers(DateTimeOffset now, Func<SandboxUser, string, string, JsonObject> enrolActive)
    {
        var users = new List<SandboxUser>
        {
            new()
            {
                Id = AliceId, Login = "alice@example.com", Email = "alice@example.com", FirstName = "Alice", LastName = "Example",
                Title = "Accountant", Department = "Finance", Manager = "dave@example.com", ManagerId = DaveId, MobilePhone = "+14155550101",
                Created = now.AddYears(-2), LastLogin = now.AddDays(-1), GroupIds = [EveryoneGroupId],
            },
            new()
            {
                Id = BobId, Login = "bob@example.com", Email = "bob@example.com", FirstName = "Bob", LastName = "Helper",
                Title = "Service Desk Analyst", Department = "IT", Manager = "carol@example.com", ManagerId = CarolId,
                Created = now.AddYears(-3), LastLogin = now.AddHours(-3),
                RoleTypes = ["HELP_DESK_ADMIN"], GroupIds = [EveryoneGroupId, HelpDeskGroupId],
            },
            new()
            {
                Id = CarolId, Login = "carol@example.com", Email = "carol@example.com", FirstName = "Carol", LastName = "Admin",
                Title = "IT Director", Department = "IT",
                Created = now.AddYears(-5), LastLogin = now.AddDays(-1),
                RoleTypes = ["SUPER_ADMIN"], GroupIds = [EveryoneGroupId],
            },
            new()
            {
                Id = DaveId, Login = "dave@example.com", Email = "dave@example.com", FirstName = "Dave", LastName = "Manager",
                Title = "Finance Manager", Department = "Finance",
                // Okta's profile phones are free text: this mobilePhone is the Okta spec's own example (not international).
                MobilePhone = "555-415-1337", PrimaryPhone = "+1 415 555 0104",
                Created = now.AddYears(-4), LastLogin = now.AddDays(-5), GroupIds = [EveryoneGroupId],
            },
            new()
            {
                Id = ErinId, Login = "erin@example.com", Email = "erin@example.com", FirstName = "Erin", LastName = "Desk",
                Title = "Service Desk Analyst", Department = "IT", Manager = "carol@example.com", ManagerId = CarolId,
                Created = now.AddYears(-1), LastLogin = now.AddHours(-2), GroupIds = [EveryoneGroupId],
            },
        };

        var alice = users[0];
        alice.Factors.Add(enrolActive(alice, "push", "OKTA"));
        alice.Factors.Add(enrolActive(alice, "token:software:totp", "OKTA"));
        var carol = users[2];
        carol.Factors.Add(enrolActive(carol, "webauthn", "FIDO"));
        var bob = users[1];
        bob.Factors.Add(enrolActive(bob, "push", "OKTA"));
        // Approvers verify with Okta Verify push (approver step-up): both help-desk analysts have it.
        var erin = users[4];
        erin.Factors.Add(enrolActive(erin, "push", "OKTA"));
        return users;
    }

    /// <summary>
    /// A week of sign-ins, so the local demo has history to judge risk by: every user signed in at their last login
    /// and 36 and 72 hours before it (within the last 7 days), from the United States; Carol's latest sign-in,
    /// yesterday, came from Germany, a country Okta had not seen for her (New Country=POSITIVE).
    /// </summary>
    internal static IEnumerable<(DateTimeOffset At, SandboxUser User, string Country, bool NewCountry)> SignInHistory(DateTimeOffset now, IReadOnlyList<SandboxUser> users) =>
        users
            .Where(user => user.LastLogin is not null)
            .SelectMany(user => new[] { 0, 36, 72 }.Select(hours => (At: user.LastLogin!.Value.AddHours(-hours), User: user, Latest: hours == 0)))
            .Where(signIn => signIn.At > now.AddDays(-7))
            .Select(signIn => signIn.User.Id == CarolId && signIn.Latest
                ? (signIn.At, signIn.User, "Germany", true)
                : (signIn.At, signIn.User, "United States", false))
            .OrderBy(signIn => signIn.At);
}
