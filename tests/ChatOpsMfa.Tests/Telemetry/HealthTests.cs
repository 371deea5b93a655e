using System.Net;
using System.Text.Json.Nodes;
using ChatOpsMfa.Storage;
using ChatOpsMfa.Telemetry;
using ChatOpsMfa.Tests.Flow;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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
    public async Task Ready_fails_with_503_naming_the_database_when_it_cannot_be_opened_while_live_stays_up()
    {
        // The readiness check is given a database whose folder does not exist (as when a volume is gone); the rest of
        // the host keeps its own, so it can still start and stop cleanly.
        var missing = Path.Combine(Path.GetTempPath(), "chatopsmfa-missing-" + Guid.NewGuid().ToString("N"), "gone.db");
        var unreachable = new SqliteDatabase(Options.Create(new StorageOptions { ConnectionString = $"Data Source={missing};Pooling=False" }));
        using var host = new FlowHost(services: s => s.AddSingleton(new DatabaseHealthCheck(unreachable)));

        var (status, body, text) = await GetAsync(host, "/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", body["status"]!.GetValue<string>());
        Assert.Equal("Unhealthy", body["checks"]!["database"]!["status"]!.GetValue<string>());
        Assert.Contains("database cannot be read", body["checks"]!["database"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Healthy", body["checks"]!["okta"]!["status"]!.GetValue<string>());
        Assert.DoesNotContain("chatopsmfa-missing-", text, StringComparison.Ordinal);

        var (liveStatus, live, _) = await GetAsync(host, "/health/live");
        Assert.Equal(HttpStatusCode.OK, liveStatus);
        Assert.Equal("Healthy", live["status"]!.GetValue<string>());

        using var client = host.CreateClient();
        using var legacy = await client.GetAsync(new Uri("/healthz", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, legacy.StatusCode);
    }

    [Fact]
    public async Task A_database_file_without_the_schema_is_not_ready()
    {
        // An empty file where the database should be (a wrong path, a fresh volume): it opens, but holds no outbox.
        var folder = Directory.CreateTempSubdirectory("chatopsmfa-empty-").FullName;
        try
        {
            var empty = new SqliteDatabase(Options.Create(new StorageOptions { ConnectionString = $"Data Source={Path.Combine(folder, "empty.db")};Pooling=False" }));
            var result = await new DatabaseHealthCheck(empty).CheckHealthAsync(new(), TestContext.Current.CancellationToken);
            Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, result.Status);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
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
