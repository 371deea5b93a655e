using System.Net;
using System.Text.Json.Nodes;
using ChatOpsMfa.Tests.Flow;

namespace ChatOpsMfa.Tests.Telemetry;

/// <summary>/health/live and /health/ready against the real host: which check failed, and never a secret.</summary>
public class HealthTests
{
    private static async Task<(HttpStatusCode Status, JsonObject Body, string Text)> GetAsync(FlowHost host, string path)
    {
        using var client = host.CreateClient();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, JsonNode.Parse(text)!.AsObject(), text);
    }

    [Fact]
    public async Task Ready_names_each_check_and_is_healthy_with_the_database_and_the_sandbox()
    {
        using var host = new FlowHost();
        var (status, body, text) = await GetAsync(host, "/health/ready");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body["status"]!.GetValue<string>());
        foreach (var check in new[] { "database", "okta", "chat" })
        {
            Assert.Equal("Healthy", body["checks"]![check]!["status"]!.GetValue<string>());
        }

        Assert.DoesNotContain(host.Okta.Token, text, StringComparison.Ordinal);
        Assert.DoesNotContain(host.ConnectionString, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_fails_with_503_naming_the_database_when_it_cannot_be_read_while_live_stays_up()
    {
        using var host = new FlowHost();
        _ = host.Services;
        var database = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(host.ConnectionString).DataSource;
        var folder = Path.GetDirectoryName(database)!;
        var moved = folder + "-gone";
        Directory.Move(folder, moved);
        try
        {
            var (status, body, text) = await GetAsync(host, "/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("Unhealthy", body["status"]!.GetValue<string>());
            Assert.Equal("Unhealthy", body["checks"]!["database"]!["status"]!.GetValue<string>());
            Assert.Contains("database cannot be read", body["checks"]!["database"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal("Healthy", body["checks"]!["okta"]!["status"]!.GetValue<string>());
            Assert.DoesNotContain(folder, text, StringComparison.Ordinal);

            var (liveStatus, live, _) = await GetAsync(host, "/health/live");
            Assert.Equal(HttpStatusCode.OK, liveStatus);
            Assert.Equal("Healthy", live["status"]!.GetValue<string>());

            using var client = host.CreateClient();
            using var legacy = await client.GetAsync(new Uri("/healthz", UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, legacy.StatusCode);
        }
        finally
        {
            Directory.Move(moved, folder);
        }
    }

    [Fact]
    public async Task Ready_fails_naming_Okta_when_Okta_refuses_the_token()
    {
        // The bot holds a token the sandbox does not accept: every Okta answer is 401.
        using var host = new FlowHost(new Dictionary<string, string?> { ["Okta:Client:Token"] = "not-the-sandbox-token" });
        var (status, body, text) = await GetAsync(host, "/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", body["checks"]!["okta"]!["status"]!.GetValue<string>());
        Assert.Contains("401", body["checks"]!["okta"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Healthy", body["checks"]!["database"]!["status"]!.GetValue<string>());
        Assert.DoesNotContain("not-the-sandbox-token", text, StringComparison.Ordinal);
    }
}
