using ChatOpsMfa.Channels;
using ChatOpsMfa.Requests;

namespace ChatOpsMfa.Tests.Requests;

/// <summary>Builds requests and actors for the domain tests.</summary>
internal static class RequestFactory
{
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
    public static readonly ChatUser Alice = new("alice", "Alice Example", "alice@example.com");
    public static readonly ChatUser Bob = new("bob", "Bob Helpdesk", "bob@example.com");
    public static readonly ChatUser Erin = new("erin", "Erin Helpdesk", "erin@example.com");
    public static readonly ChatUser Mallory = new("mallory", "Mallory", "mallory@example.com");

    /// <summary>The Okta user id each test person has (Alice's is the target's).</summary>
    public static string OktaIdOf(ChatUser user) => "00u1" + user.Id;

    public static Actor Approver(ChatUser user) => new(user, true, OktaIdOf(user));

    public static Actor NonApprover(ChatUser user) => new(user, false, OktaIdOf(user));

    public static ResetRequest New(int requiredApprovals = 1) => new(
        "req-1",
        Alice,
        new ConversationRef("local", "alice-1to1"),
        new TargetUser("00u1alice", "alice@example.com", "Alice Example"),
        new FactorRequest("token:software:totp", "GOOGLE", "Google Authenticator"),
        Now,
        Now.AddMinutes(30),
        requiredApprovals);
}
