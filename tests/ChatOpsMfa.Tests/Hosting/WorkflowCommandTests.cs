using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using System.Text.Json.Nodes;
using ChatOpsMfa.Hosting;
using ChatOpsMfa.Okta.Sandbox;

namespace ChatOpsMfa.Tests.Hosting;

/// <summary>The <c>workflow</c> sub-command, run in-process with captured output, against real Okta-compatible servers.</summary>
public class WorkflowCommandTests
{
    private static readonly string Seed = Path.Combine(RepoPaths.Root, "src", "ChatOpsMfa", "Okta", "workflows", "okta-reset-and-reenroll-factor.arazzo.yaml");

    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await WorkflowCommand.RunAsync(args, stdout, stderr, TestContext.Current.CancellationToken);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Validate_accepts_the_seed_and_warns_about_its_bare_expressions()
    {
        var (exit, output, _) = await Run("validate", Seed);

        Assert.Equal(0, exit);
        Assert.Contains("warning", output);
        Assert.Contains("{$inputs.oktaApiToken}", output);
        Assert.Contains("valid", output);
    }

    [Fact]
    public async Task Validate_refuses_a_source_description_outside_the_source_root()
    {
        var folder = Directory.CreateTempSubdirectory("chatopsmfa-wf-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "workflows"));
            var escaping = Path.Combine(folder, "workflows", "escaping.arazzo.yaml");
            var ct = TestContext.Current.CancellationToken;
            await File.WriteAllTextAsync(escaping, (await File.ReadAllTextAsync(Seed, ct)).Replace("url: ../openapi/okta-openapi-original.yml", "url: ../../../../../../../../etc/passwd", StringComparison.Ordinal), ct);

            var (exit, output, _) = await Run("validate", escaping);

            Assert.Equal(2, exit);
            Assert.Contains("/sourceDescriptions/0/url", output);
            Assert.Contains("is outside the folder", output);
            Assert.DoesNotContain("root:", output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Run_of_a_two_source_document_sends_neither_the_okta_token_nor_okta_org_to_other_apis()
    {
        await using var okta = await OktaSandbox.StartNewAsync(cancellationToken: TestContext.Current.CancellationToken);
        var requests = new List<(string Path, string? Authorization, string? ApiKey)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var api = builder.Build();
        api.Run(async context =>
        {
            requests.Add((context.Request.Path, context.Request.Headers.Authorization.FirstOrDefault(), context.Request.Headers["X-Api-Key"].FirstOrDefault()));
            context.Response.StatusCode = context.Request.Path.Value!.EndsWith("/orders", StringComparison.Ordinal) ? 201 : 200;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"id":9}""", context.RequestAborted);
        });
        await api.StartAsync(TestContext.Current.CancellationToken);
        var address = api.Urls.First();
        var corpus = Path.Combine(RepoPaths.Root, "tests", "ChatOpsMfa.Arazzo.Tests", "Corpus");

        var (exit, _, error) = await Run("run", Path.Combine(corpus, "valid.two-sources.arazzo.yaml"), "--workflow-id", "buy", "--input", "id=9",
            "--server", $"pets={address}/p", "--server", $"orders={address}/o",
            "--Arazzo:Sources:orders:Headers:X-Api-Key=orders-key",
            $"--Okta:Client:OrgUrl={okta.BaseUrl}", $"--Okta:Client:Token={okta.Token}");

        Assert.True(exit == 0, error);
        Assert.Equal([("/p/pets/9", null, null), ("/o/orders", null, "orders-key")], requests);
        Assert.Empty(okta.Requests);
    }

    [Fact]
    public async Task Validate_reports_an_unknown_operation_with_its_location_and_exits_2()
    {
        var folder = Directory.CreateTempSubdirectory("chatopsmfa-wf-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "workflows"));
            Directory.CreateDirectory(Path.Combine(folder, "openapi"));
            File.Copy(Path.Combine(Path.GetDirectoryName(Seed)!, "..", "openapi", "okta-openapi-original.yml"), Path.Combine(folder, "openapi", "okta-openapi-original.yml"));
            var broken = Path.Combine(folder, "workflows", "broken.arazzo.yaml");
            var ct = TestContext.Current.CancellationToken;
            await File.WriteAllTextAsync(broken, (await File.ReadAllTextAsync(Seed, ct)).Replace("operationId: enrollFactor", "operationId: enrolFactorTypo", StringComparison.Ordinal), ct);

            var (exit, output, _) = await Run("validate", broken);

            Assert.Equal(2, exit);
            Assert.Contains("enrolFactorTypo", output);
            Assert.Contains("/workflows/0/steps/1", output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Run_resets_then_enrols_against_the_server_named_by_OrgUrl_and_prints_the_outputs()
    {
        await using var okta = await OktaSandbox.StartNewAsync(cancellationToken: TestContext.Current.CancellationToken);

        var (exit, output, error) = await Run("run", Seed, "--workflow-id", "reset-and-reenroll-factor",
            "--input", $"userId={OktaSandboxSeed.AliceId}", "--input", "factorType=token:software:totp", "--input", "provider=GOOGLE",
            $"--Okta:Client:OrgUrl={okta.BaseUrl}", $"--Okta:Client:Token={okta.Token}");

        Assert.True(exit == 0, error);
        var outputs = JsonNode.Parse(output)!.AsObject();
        Assert.Equal(OktaSandboxSeed.AliceId, outputs["userId"]!.GetValue<string>());
        var factor = Assert.Single(okta.FactorsOf(OktaSandboxSeed.AliceId)!);
        Assert.Equal(factor.Id, outputs["factorId"]!.GetValue<string>());
        Assert.Equal(["resetFactors", "enrollFactor"], okta.Requests.Select(r => r.OperationId));
        Assert.All(okta.Requests, r => Assert.Equal("SSWS " + okta.Token, r.Header("Authorization")));
        Assert.DoesNotContain(okta.Token, output + error);
    }

    [Fact]
    public async Task Run_uses_the_built_in_sandbox_in_Development_when_no_OrgUrl_is_set()
    {
        var (exit, output, error) = await Run("run", Seed, "--workflow-id", "reset-and-reenroll-factor",
            "--input", $"userId={OktaSandboxSeed.DaveId}", "--input", "factorType=push", "--input", "provider=OKTA",
            "--environment", "Development", "--Okta:Sandbox:Enabled=true", "--Okta:Client:OrgUrl=");

        Assert.True(exit == 0, error);
        Assert.StartsWith("00u", JsonNode.Parse(output)!["userId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(JsonNode.Parse(output)!["factorId"]?.GetValue<string>()));
    }

    [Fact]
    public async Task Run_names_the_failed_step_the_status_and_Oktas_error_and_exits_1()
    {
        await using var okta = await OktaSandbox.StartNewAsync(cancellationToken: TestContext.Current.CancellationToken);

        var (exit, output, error) = await Run("run", Seed, "--workflow-id", "reset-and-reenroll-factor",
            "--input", "userId=00unknownuser", "--input", "factorType=sms", "--input", "provider=OKTA",
            $"--Okta:Client:OrgUrl={okta.BaseUrl}", $"--Okta:Client:Token={okta.Token}");

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains("resetFactors", error);
        Assert.Contains("404", error);
        Assert.Contains("Okta has no such user", error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(okta.Requests, r => r.OperationId == "enrollFactor");
    }

    [Fact]
    public async Task Run_reports_an_unreachable_org_and_changes_nothing()
    {
        var (exit, _, error) = await Run("run", Seed, "--workflow-id", "reset-and-reenroll-factor",
            "--input", "userId=00u1", "--input", "factorType=push", "--input", "provider=OKTA",
            "--Okta:Client:OrgUrl=http://127.0.0.1:9/", "--Okta:Client:Token=not-a-real-token");

        Assert.Equal(1, exit);
        Assert.Contains("could not be reached", error);
        Assert.DoesNotContain("not-a-real-token", error);
    }

    [Theory]
    [InlineData("--input", "factorType=push", "userId")]
    [InlineData("--input-json", "userId=42", "userId")]
    public async Task Run_refuses_missing_or_ill_typed_inputs_before_calling_Okta(string flag, string input, string expected)
    {
        await using var okta = await OktaSandbox.StartNewAsync(cancellationToken: TestContext.Current.CancellationToken);

        var (exit, _, error) = await Run("run", Seed, "--workflow-id", "reset-and-reenroll-factor", flag, input,
            "--input", "provider=OKTA", "--input", "factorType=push",
            $"--Okta:Client:OrgUrl={okta.BaseUrl}", $"--Okta:Client:Token={okta.Token}");

        Assert.Equal(2, exit);
        Assert.Contains(expected, error, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(okta.Requests);
    }

    [Fact]
    public async Task The_token_can_never_be_given_on_the_command_line()
    {
        var (exit, _, error) = await Run("run", Seed, "--workflow-id", "reset-and-reenroll-factor", "--input", "oktaApiToken=abc");

        Assert.Equal(2, exit);
        Assert.Contains("Okta:Client:Token", error);
    }

    [Fact]
    public async Task An_unknown_sub_command_prints_usage()
    {
        var (exit, _, error) = await Run("frobnicate");

        Assert.Equal(2, exit);
        Assert.Contains("workflow validate FILE", error);
    }
}
