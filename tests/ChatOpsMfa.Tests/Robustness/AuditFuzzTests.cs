using ChatOpsMfa.Channels;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Storage;

namespace ChatOpsMfa.Tests.Robustness;

/// <summary>
/// Generated malformed queries to <c>GET /api/audit</c> with a configured key (and sometimes a broken one), over audit
/// rows whose own text is hostile, in JSON and CSV. Reading must never change anything.
/// </summary>
public sealed class AuditFuzzTests
{
    private const int Inputs = 500;

    private static readonly string[] Parameters = ["from", "to", "user", "limit", "after", "format", "FROM", "user[]", ""];

    [Fact]
    public async Task Audit_export_survives_malformed_queries_and_headers_past_the_key_check()
    {
        await using var host = await RobustnessHost.StartAsync();
        var inputs = new MalformedInputs(seed: 4001);
        await SeedHostileRowsAsync(host.Store);
        var run = new FuzzRun(host, "GET /api/audit");
        var baseline = await host.SnapshotAsync();

        await run.SendAllAsync(Enumerable.Range(0, Inputs).Select(_ =>
        {
            var query = string.Join("&", Enumerable.Range(0, inputs.Random.Next(0, 5)).Select(_ =>
                Uri.EscapeDataString(inputs.Pick(Parameters)) + "=" + Uri.EscapeDataString(Value(inputs))));
            var accept = inputs.Pick<string?>([null, "text/csv", "application/json", "text/csv, application/json;q=0.1", "*/*", "text/*;q=x", inputs.HostileText(), "text/csv;q=0", "text/csv\r\nX-Injected: 1"]);
            var authorization = inputs.Random.Next(5) == 0
                ? DirectLineFuzzTests.Authorization(inputs, RobustnessHost.AuditKey)
                : "Bearer " + RobustnessHost.AuditKey;
            return new FuzzInput($"?{DirectLineFuzzTests.Preview(query)} accept={DirectLineFuzzTests.Preview(accept)} auth={DirectLineFuzzTests.Preview(authorization)}", () =>
            {
                var request = FuzzRun.Request(HttpMethod.Get, "/api/audit?" + query, null, null, authorization);
                if (accept is not null)
                {
                    request.Headers.TryAddWithoutValidation("Accept", accept);
                }

                return request;
            });
        }));

        await run.AssertCleanAsync(baseline);
        Assert.True(run.PastAuthentication > Inputs / 2, $"only {run.PastAuthentication} queries got past the key check");
        Assert.True(run.Accepted >= Inputs / 8, $"only {run.Accepted} queries were answered with rows");
    }

    private static string Value(MalformedInputs inputs) => inputs.Random.Next(6) switch
    {
        0 => inputs.HostileText(),
        1 => inputs.Pick(["2026-01-10T08:00:00Z", "2026-01-10", "0001-01-01", "9999-12-31T23:59:59Z", "2026-13-45", "yesterday", "1700000000", "-1", "0", "1", "1000", "1001", "2147483648", "1e3", " 5"]),
        2 => DateTimeOffset.UtcNow.AddDays(inputs.Random.Next(-30_000, 30_000)).ToString("O"),
        3 => inputs.Random.NextInt64(long.MinValue, long.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => inputs.Pick(["alice", "bob", "alice@example.com", "%", "_", "*", "' OR '1'='1", ""]),
    };

    /// <summary>A waiting request (expiring far in the future, so no worker touches it) whose people and notes are hostile text.</summary>
    private static async Task SeedHostileRowsAsync(RequestStore store)
    {
        var now = DateTimeOffset.UtcNow;
        var requester = new ChatUser("alice", "=cmd|' /C calc'!A0 <script>", "alice@example.com");
        var request = new ResetRequest("seeded-hostile", requester, new ConversationRef("local", "dm-alice"),
            new TargetUser("00ualice", "alice@example.com", "Alice ${requestId}"), new FactorRequest("push", "OKTA", "Okta Verify"), now, now.AddDays(1));
        await store.CreateAsync(request, new AuditNote("alice", requester.Name, "Requested", "'; DROP TABLE audit; --"), [], TestContext.Current.CancellationToken);
        foreach (var text in MalformedInputs.Hostile.Take(20))
        {
            await store.AuditAsync(request, new AuditNote("bob\r\n" + text, text, "Noted", text), now, TestContext.Current.CancellationToken);
        }
    }
}
