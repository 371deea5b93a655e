using System.Net;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Tests.Audit;

/// <summary>Unusable query parameters get a 400 that names the parameter, never a 500 and never a silent guess.</summary>
public class AuditExportParameterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-01-10", "from")]
    [InlineData("from=2026-01-10T08:00:00", "from")]                 // no time zone: not an instant
    [InlineData("from=2026-01-10T08:00:00+01:00", "from")]           // '+' arrived as a space
    [InlineData("from=2026-13-10T08:00:00Z", "from")]
    [InlineData("from=1/10/2026%208:00%20AM", "from")]
    [InlineData("to=2026-01-10T08:00:00ZZ", "to")]
    [InlineData("to=", "to")]
    [InlineData("from=2026-01-10T09:00:00Z&to=2026-01-10T09:00:00Z", "to")]
    [InlineData("from=2026-01-10T09:00:00Z&to=2026-01-10T08:00:00Z", "to")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=-5", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("limit=99999999999999999999", "limit")]
    [InlineData("limit=%2B10", "limit")]
    [InlineData("limit=", "limit")]
    [InlineData("after=-1", "after")]
    [InlineData("after=abc", "after")]
    [InlineData("after=1.5", "after")]
    [InlineData("after=99999999999999999999", "after")]
    [InlineData("user=", "user")]
    [InlineData("user=%20%20", "user")]
    [InlineData("user=bob%00", "user")]
    [InlineData("form=2026-01-10T08:00:00Z", "form")]
    [InlineData("cursor=abc", "cursor")]
    [InlineData("limit=1&limit=2", "limit")]
    [InlineData("user=bob&user=erin", "user")]
    public async Task An_unusable_parameter_gets_a_400_naming_it(string query, string parameter)
    {
        using var host = new AuditHost(AuditHost.Key);
        await AuditSeed.WriteAsync(host.Store, Ct);

        var response = await host.Authorized().GetAsync("/api/audit?" + query, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal(400, problem["status"]!.GetValue<int>());
        Assert.Equal(parameter, problem["parameter"]!.GetValue<string>());
        Assert.Contains($"'{parameter}'", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("req-alice", problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("from=0001-01-01T00:00:00%2B14:00")]
    [InlineData("to=9999-12-31T23:59:59-14:00")]
    [InlineData("from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59.9999999Z")]
    [InlineData("user=%FF%FE")]
    [InlineData("%ZZ=1")]
    [InlineData("=1")]
    [InlineData("from=%")]
    [InlineData("limit=%E0%A4%A")]
    [InlineData("after=%00")]
    [InlineData("user=%3Cscript%3Ealert(1)%3C%2Fscript%3E&limit=3")]
    [InlineData("from[]=1")]
    [InlineData("limit=1e3")]
    [InlineData("limit=%EF%BC%91")]
    public async Task Odd_queries_get_an_answer_not_a_server_error(string query)
    {
        using var host = new AuditHost(AuditHost.Key);
        await AuditSeed.WriteAsync(host.Store, Ct);

        var response = await host.Authorized().GetAsync("/api/audit?" + query, Ct);

        Assert.True((int)response.StatusCode is 200 or 400, $"{query} got {(int)response.StatusCode}");
        Assert.DoesNotContain(host.Logs.Lines, l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public async Task A_plus_turned_into_a_space_gets_a_hint()
    {
        using var host = new AuditHost(AuditHost.Key);

        var response = await host.Authorized().GetAsync("/api/audit?from=2026-01-10T08:00:00+01:00", Ct);

        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Contains("%2B", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_very_long_unknown_parameter_is_named_shortened()
    {
        using var host = new AuditHost(AuditHost.Key);
        var name = new string('x', 5000);

        var response = await host.Authorized().GetAsync($"/api/audit?{name}=1", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(body.Length < 1000, "the problem body echoes at most a short prefix of the name");
    }

    [Theory]
    [InlineData("limit=1")]
    [InlineData("limit=1000")]
    [InlineData("after=0")]
    [InlineData("after=9223372036854775807")]
    [InlineData("from=2026-01-10T08:00Z&to=2026-01-10T08:01%2B00:00")]
    [InlineData("user=%27%3B%20DROP%20TABLE%20audit%3B%20--")]
    public async Task Edge_values_are_accepted(string query)
    {
        using var host = new AuditHost(AuditHost.Key);
        await AuditSeed.WriteAsync(host.Store, Ct);

        var response = await host.Authorized().GetAsync("/api/audit?" + query, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(5, (await AuditExportContentTests.IdsAsync(host, "/api/audit")).Length);
    }
}
