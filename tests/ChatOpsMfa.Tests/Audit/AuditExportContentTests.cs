using System.Net;
using System.Text.Json.Nodes;
using static ChatOpsMfa.Tests.Audit.AuditSeed;

namespace ChatOpsMfa.Tests.Audit;

/// <summary>What <c>GET /api/audit</c> returns, as JSON and as CSV, against rows written through the real store.</summary>
public class AuditExportContentTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Json_export_lists_every_row_oldest_first_with_all_fields()
    {
        using var host = new AuditHost(AuditHost.Key);
        var requests = await WriteAsync(host.Store, Ct);

        var response = await host.Authorized().GetAsync("/api/audit", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsObject();
        Assert.Null(body["next"]);
        Assert.True(body.ContainsKey("next"));
        var items = body["items"]!.AsArray();
        Assert.Equal([1L, 2, 3, 4, 5], items.Select(i => i!["id"]!.GetValue<long>()));
        Assert.Equal(JsonNode.Parse($$"""
            {
              "id": 2, "requestId": "req-alice", "requestNumber": {{requests[0].Number}}, "at": "2026-01-10T08:05:00Z",
              "actorId": "bob", "actorName": "Bob Helper", "action": "Commented",
              "fromState": "AwaitingApproval", "toState": "AwaitingApproval", "detail": {{JsonValue.Create(Formula).ToJsonString()}}
            }
            """)!.ToJsonString(), items[1]!.ToJsonString());
        Assert.Equal(JsonNode.Parse("""
            {
              "id": 5, "requestId": "req-carol", "requestNumber": 3, "at": "2026-01-11T08:00:00Z",
              "actorId": "carol", "actorName": "Carol Admin", "action": "Requested",
              "fromState": null, "toState": "AwaitingApproval", "detail": null
            }
            """)!.ToJsonString(), items[4]!.ToJsonString());
    }

    [Fact]
    public async Task Csv_export_is_rfc4180_with_a_header_row()
    {
        using var host = new AuditHost(AuditHost.Key);
        await WriteAsync(host.Store, Ct);

        var response = await host.Authorized("text/csv").GetAsync("/api/audit", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var records = CsvTestReader.Read(text);
        Assert.Equal(["id", "requestId", "requestNumber", "at", "actorId", "actorName", "action", "fromState", "toState", "detail"], records[0]);
        Assert.Equal(6, records.Count);
        Assert.Equal(["1", "req-alice", "1", "2026-01-10T08:00:00Z", "alice", "Alice Example", "Requested", "", "AwaitingApproval", ""], records[1]);
        Assert.Equal(["4", "req-dave", "2", "2026-01-10T10:00:00Z", "erin", "Erin Desk", "Commented", "AwaitingApproval", "AwaitingApproval", NeedsQuoting], records[4]);
        Assert.Contains("\"said \"\"hi\"\", then\r\nleft\"\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_cells_that_a_spreadsheet_would_run_as_formulas_start_with_an_apostrophe()
    {
        using var host = new AuditHost(AuditHost.Key);
        await WriteAsync(host.Store, Ct);

        var text = await host.Authorized("text/csv").GetStringAsync("/api/audit", Ct);

        var detail = CsvTestReader.Read(text)[2][9];
        Assert.Equal("'" + Formula, detail);
        Assert.DoesNotContain("," + Formula, text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"" + Formula, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/csv", true)]
    [InlineData("text/csv; charset=utf-8", true)]
    [InlineData("application/json, text/csv;q=0.5", false)]
    [InlineData("text/csv, */*;q=0.1", true)]
    [InlineData("application/json", false)]
    [InlineData("*/*", false)]
    [InlineData("text/csv;q=0", false)]
    public async Task Csv_is_sent_only_when_the_caller_prefers_it(string accept, bool csv)
    {
        using var host = new AuditHost(AuditHost.Key);
        await WriteAsync(host.Store, Ct);
        var client = host.Authorized();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Accept", accept);

        var response = await client.GetAsync("/api/audit", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(csv ? "text/csv" : "application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task From_is_inclusive_and_to_is_exclusive()
    {
        using var host = new AuditHost(AuditHost.Key);
        await WriteAsync(host.Store, Ct);

        var ids = await IdsAsync(host, "/api/audit?from=2026-01-10T08:05:00Z&to=2026-01-10T10:00:00Z");
        var withOffset = await IdsAsync(host, "/api/audit?from=2026-01-10T09:05:00%2B01:00&to=2026-01-10T11:00:00.0000001%2B01:00");
        var onlyFrom = await IdsAsync(host, "/api/audit?from=2026-01-10T10:00:00Z");
        var onlyTo = await IdsAsync(host, "/api/audit?to=2026-01-10T08:05:00Z");

        Assert.Equal([2L, 3], ids);
        Assert.Equal([2L, 3, 4], withOffset);
        Assert.Equal([4L, 5], onlyFrom);
        Assert.Equal([1L], onlyTo);
    }

    [Fact]
    public async Task User_matches_the_actor_the_requester_and_the_target()
    {
        using var host = new AuditHost(AuditHost.Key);
        await WriteAsync(host.Store, Ct);

        Assert.Equal(new long[] { 4 }, await IdsAsync(host, "/api/audit?user=erin"));        // acted only
        Assert.Equal(new long[] { 2, 3, 4 }, await IdsAsync(host, "/api/audit?user=bob"));   // acted on alice's, requested dave's
        Assert.Equal(new long[] { 3, 4 }, await IdsAsync(host, "/api/audit?user=00udave"));  // target
        Assert.Equal(new long[] { 1, 2 }, await IdsAsync(host, "/api/audit?user=alice"));
        Assert.Empty(await IdsAsync(host, "/api/audit?user=nobody"));
        Assert.Empty(await IdsAsync(host, "/api/audit?user=%27%20OR%201%3D1%20--"));
        Assert.Equal(new long[] { 3 }, await IdsAsync(host, "/api/audit?user=bob&from=2026-01-10T09:00:00Z&to=2026-01-10T10:00:00Z"));
    }

    internal static async Task<long[]> IdsAsync(AuditHost host, string url)
    {
        var response = await host.Authorized().GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        return [.. body["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>())];
    }
}
