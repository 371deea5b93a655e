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
                Title = "Accountant", Department = "Finance", Manager = "dave@example.com", MobilePhone = "+14155550101",
                Created = now.AddYears(-2), LastLogin = now.AddDays(-1), GroupIds = [EveryoneGroupId],
            },
            new()
            {
                Id = BobId, Login = "bob@example.com", Email = "bob@example.com", FirstName = "Bob", LastName = "Helper",
                Title = "Service Desk Analyst", Department = "IT", Manager = "carol@example.com",
                Created = now.AddYears(-3), LastLogin = now.AddHours(-3),
                RoleTypes = ["HELP_DESK_ADMIN"], GroupIds = [EveryoneGroupId, HelpDeskGroupId],
            },
            new()
            {
                Id = CarolId, Login = "carol@example.com", Email = "carol@example.com", FirstName = "Carol", LastName = "Admin",
                Title = "IT Director", Department = "IT",
                Created = now.AddYears(-5), LastLogin = now.AddHours(-20),
                RoleTypes = ["SUPER_ADMIN"], GroupIds = [EveryoneGroupId],
            },
            new()
            {
                Id = DaveId, Login = "dave@example.com", Email = "dave@example.com", FirstName = "Dave", LastName = "Manager",
                Title = "Finance Manager", Department = "Finance",
                // Okta's profile phones are free text: this mobilePhone is the Okta spec's own example (not international).
                MobilePhone = "555-415-1337", PrimaryPhone = "+1 415 555 0104",
                Created = now.AddYears(-4), LastLogin = now.AddDays(-7), GroupIds = [EveryoneGroupId],
            },
            new()
            {
                Id = ErinId, Login = "erin@example.com", Email = "erin@example.com", FirstName = "Erin", LastName = "Desk",
                Title = "Service Desk Analyst", Department = "IT", Manager = "carol@example.com",
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
        return users;
    }
}
