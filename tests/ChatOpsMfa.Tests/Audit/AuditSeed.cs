using ChatOpsMfa.Channels;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Storage;

namespace ChatOpsMfa.Tests.Audit;

/// <summary>
/// Known audit rows written through the real <see cref="RequestStore"/>: three requests by different people, with
/// notes at chosen instants, one carrying a spreadsheet formula and one needing CSV quoting.
/// </summary>
internal static class AuditSeed
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 10, 8, 0, 0, TimeSpan.Zero);
    public static readonly ChatUser Alice = new("alice", "Alice Example", "alice@example.com");
    public static readonly ChatUser Bob = new("bob", "Bob Helper", "bob@example.com");
    public static readonly ChatUser Carol = new("carol", "Carol Admin", "carol@example.com");

    public const string Formula = "=HYPERLINK(\"http://evil.example\",\"click\")";
    public const string NeedsQuoting = "said \"hi\", then\r\nleft";

    private static readonly FactorRequest Totp = new("token:software:totp", "GOOGLE", "Google Authenticator");

    /// <summary>Writes the rows; returns the three requests (alice's, bob's for dave, carol's).</summary>
    public static async Task<ResetRequest[]> WriteAsync(RequestStore store, CancellationToken ct)
    {
        var forAlice = Request("req-alice", Alice, new TargetUser("00ualice", "alice@example.com", "Alice Example"), T0);
        var forDave = Request("req-dave", Bob, new TargetUser("00udave", "dave@example.com", "Dave Example"), T0.AddHours(1));
        var forCarol = Request("req-carol", Carol, new TargetUser("00ucarol", "carol@example.com", "Carol Admin"), T0.AddDays(1));

        await store.CreateAsync(forAlice, new AuditNote(Alice.Id, Alice.Name, "Requested"), [], ct);                        // id 1, T0
        await store.AuditAsync(forAlice, new AuditNote(Bob.Id, Bob.Name, "Commented", Formula), T0.AddMinutes(5), ct);   // id 2
        await store.CreateAsync(forDave, new AuditNote(Bob.Id, Bob.Name, "Requested"), [], ct);                             // id 3, T0+1h
        await store.AuditAsync(forDave, new AuditNote("erin", "Erin Desk", "Commented", NeedsQuoting), T0.AddHours(2), ct); // id 4
        await store.CreateAsync(forCarol, new AuditNote(Carol.Id, Carol.Name, "Requested"), [], ct);                      // id 5, T0+1d
        return [forAlice, forDave, forCarol];
    }

    /// <summary>Writes <paramref name="count"/> notes on one request, a minute apart from <see cref="T0"/>.</summary>
    public static async Task WriteManyAsync(RequestStore store, int count, CancellationToken ct)
    {
        var request = Request("req-many", Alice, new TargetUser("00ualice", "alice@example.com", "Alice Example"), T0);
        await store.CreateAsync(request, new AuditNote(Alice.Id, Alice.Name, "Requested"), [], ct);
        for (var i = 1; i < count; i++)
        {
            await store.AuditAsync(request, new AuditNote(Bob.Id, Bob.Name, "Noted", $"note {i}"), T0.AddMinutes(i), ct);
        }
    }

    // Far-off expiry: the host's expiry worker must not act on these rows (and log the undeliverable cards) mid-test.
    private static ResetRequest Request(string id, ChatUser requester, TargetUser target, DateTimeOffset at) =>
        new(id, requester, new ConversationRef("local", "dm-" + requester.Id), target, Totp, at, DateTimeOffset.MaxValue.AddYears(-1));
}
