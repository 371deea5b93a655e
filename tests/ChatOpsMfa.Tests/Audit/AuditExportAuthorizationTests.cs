using System.Net;
using ChatOpsMfa.Audit;
using Microsoft.Extensions.Logging;

namespace ChatOpsMfa.Tests.Audit;

/// <summary>Only holders of an <c>Audit:ApiKeys</c> key read the trail; everyone else gets a bare 401, and keys stay out of logs.</summary>
public class AuditExportAuthorizationTests
{
    private const string WrongKey = "audit-key-0123456789-firsT";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string NoHeader = "(no Authorization header)";

    public static TheoryData<string> RefusedAuthorizations => new()
    {
        NoHeader,
        "",
        "Bearer",
        "Bearer ",
        "Bearer " + WrongKey,
        "Bearer " + AuditHost.Key[..^1],
        "Bearer " + AuditHost.Key + "x",
        "Bearer " + AuditHost.Key.ToUpperInvariant(),
        "Basic " + Convert.ToBase64String("audit:"u8.ToArray().Concat(System.Text.Encoding.UTF8.GetBytes(AuditHost.Key)).ToArray()),
        "Token " + AuditHost.Key,
        AuditHost.Key,
        "BearerX " + AuditHost.Key,
        "Bearer" + AuditHost.Key,
    };

    [Theory]
    [MemberData(nameof(RefusedAuthorizations))]
    public async Task A_missing_wrong_or_other_scheme_key_gets_a_bare_401(string authorization)
    {
        using var host = new AuditHost(AuditHost.Key, AuditHost.OtherKey);
        await AuditSeed.WriteAsync(host.Store, Ct);

        var response = await host.ClientWith(authorization == NoHeader ? null : authorization).GetAsync("/api/audit", Ct);

        await AssertRefusedAsync(response);
    }

    [Fact]
    public async Task Two_authorization_headers_are_refused_even_if_one_is_right()
    {
        using var host = new AuditHost(AuditHost.Key);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/audit");
        request.Headers.TryAddWithoutValidation("Authorization", ["Bearer " + WrongKey, "Bearer " + AuditHost.Key]);

        var response = await host.CreateClient().SendAsync(request, Ct);

        await AssertRefusedAsync(response);
    }

    [Theory]
    [InlineData("Bearer " + AuditHost.Key)]
    [InlineData("Bearer " + AuditHost.OtherKey)]
    [InlineData("bearer " + AuditHost.Key)]
    [InlineData("BEARER  " + AuditHost.OtherKey + " ")]
    public async Task Any_configured_key_is_accepted(string authorization)
    {
        using var host = new AuditHost(AuditHost.Key, AuditHost.OtherKey);
        await AuditSeed.WriteAsync(host.Store, Ct);

        var response = await host.ClientWith(authorization).GetAsync("/api/audit", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"req-alice\"", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_are_compared_as_the_admin_wrote_them_without_surrounding_whitespace()
    {
        using var host = new AuditHost("  " + AuditHost.Key + "\n");

        var response = await host.ClientWith("Bearer " + AuditHost.Key).GetAsync("/api/audit", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Parameters_are_not_checked_before_the_key()
    {
        using var host = new AuditHost(AuditHost.Key);

        var response = await host.ClientWith("Bearer " + WrongKey).GetAsync("/api/audit?from=yesterday&bogus=1", Ct);

        await AssertRefusedAsync(response);
    }

    [Fact]
    public async Task With_no_keys_configured_every_request_is_refused_and_startup_says_so_once()
    {
        using var host = new AuditHost();
        await AuditSeed.WriteAsync(host.Store, Ct);

        await AssertRefusedAsync(await host.ClientWith(null).GetAsync("/api/audit", Ct));
        await AssertRefusedAsync(await host.ClientWith("Bearer ").GetAsync("/api/audit", Ct));
        await AssertRefusedAsync(await host.ClientWith("Bearer " + AuditHost.Key).GetAsync("/api/audit", Ct));

        var disabled = Assert.Single(host.Logs.Lines, l => l.EventId == 6100);
        Assert.Equal(LogLevel.Warning, disabled.Level);
        Assert.Contains("Audit:ApiKeys", disabled.Text, StringComparison.Ordinal);
        Assert.Equal(3, host.Logs.Lines.Count(l => l.EventId == 6102 && l.Text.Contains(nameof(AuditKeyOutcome.ExportDisabled), StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_empty_json_key_list_also_leaves_the_export_disabled()
    {
        using var host = new AuditHost([KeyValuePair.Create("Audit:ApiKeys", (string?)"")]);

        await AssertRefusedAsync(await host.ClientWith("Bearer " + AuditHost.Key).GetAsync("/api/audit", Ct));

        Assert.Single(host.Logs.Lines, l => l.EventId == 6100);
    }

    [Fact]
    public async Task Keys_never_reach_the_logs()
    {
        using var host = new AuditHost(AuditHost.Key, AuditHost.OtherKey);
        await AuditSeed.WriteAsync(host.Store, Ct);

        string[] authorizations = ["Bearer " + AuditHost.Key, "Bearer " + AuditHost.OtherKey, "Bearer " + WrongKey, "Basic " + AuditHost.Key, AuditHost.Key];
        foreach (var authorization in authorizations)
        {
            foreach (var url in new[] { "/api/audit", "/api/audit?limit=2", "/api/audit?limit=0", "/api/audit?from=nope" })
            {
                await host.ClientWith(authorization).GetAsync(url, Ct);
                await host.ClientWith(authorization, "text/csv").GetAsync(url, Ct);
            }
        }

        var logs = host.Logs.AllText;
        Assert.Contains(host.Logs.Lines, l => l.EventId == 6101); // enabled, with the count
        Assert.Contains(host.Logs.Lines, l => l.EventId == 6102); // refusals were logged ...
        Assert.Contains(host.Logs.Lines, l => l.EventId == 6103); // ... bad parameters ...
        Assert.Contains(host.Logs.Lines, l => l.EventId == 6104 && l.Text.Contains("#2", StringComparison.Ordinal)); // ... and exports, by key number
        Assert.DoesNotContain(AuditHost.Key, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(AuditHost.OtherKey, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongKey, logs, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789", logs, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("short-key")]
    [InlineData("")]
    [InlineData("               ")]
    public void A_key_too_short_to_be_safe_stops_startup_without_showing_it(string key)
    {
        using var host = new AuditHost(AuditHost.Key, key);

        var error = Assert.ThrowsAny<Exception>(() => host.Services);

        Assert.Contains("Audit:ApiKeys", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("at least 16 characters", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(AuditHost.Key, error.ToString(), StringComparison.Ordinal);
        if (key.Trim().Length > 0)
        {
            Assert.DoesNotContain(key, error.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_single_string_where_the_key_list_belongs_stops_startup()
    {
        using var host = new AuditHost([KeyValuePair.Create("Audit:ApiKeys", (string?)AuditHost.Key)]);

        var error = Assert.ThrowsAny<Exception>(() => host.Services);

        Assert.Contains("Audit:ApiKeys must be a list", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(AuditHost.Key, error.ToString(), StringComparison.Ordinal);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).ToString());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.False(response.Headers.Contains("Link"));
        Assert.False(response.Headers.Contains("X-Next-Cursor"));
    }
}
