using System.Globalization;
using System.Net;
using System.Text;
using ChatOpsMfa.Okta;
using ChatOpsMfa.Okta.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChatOpsMfa.Tests.Okta;

public sealed class OktaRateLimitHandlerTests
{
    private static readonly DateTimeOffset Start = new(2026, 7, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_429_is_retried_after_the_reset_measured_against_Date_plus_one_second_with_retry_headers()
    {
        var okta = new ScriptedOkta(_time,
            _ => RateLimited("req-429-a", date: Start, resetAt: Start.AddSeconds(5)),
            _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") });
        using var http = Client(okta);

        using var response = await RunWithFakeClock(http.PostAsync("https://example.okta.com/api/v1/users/u1/factors",
            new StringContent("""{"factorType":"push","provider":"OKTA"}""", Encoding.UTF8, "application/json"), Ct));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, okta.Attempts.Count);
        Assert.Null(okta.Attempts[0].RetryFor);
        Assert.Equal("req-429-a", okta.Attempts[1].RetryFor);
        Assert.Equal("1", okta.Attempts[1].RetryCount);
        // Reset is 5 s after Okta's Date; the SDK adds one second.
        Assert.Equal(Start.AddSeconds(6), okta.Attempts[1].At);
        Assert.Equal(okta.Attempts[0].Body, okta.Attempts[1].Body);
        Assert.Contains("\"factorType\":\"push\"", okta.Attempts[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retries_are_bounded_and_the_last_429_is_returned()
    {
        var okta = new ScriptedOkta(_time,
            n => RateLimited($"req-{n}", date: _time.GetUtcNow(), resetAt: _time.GetUtcNow().AddSeconds(1)));
        using var http = Client(okta);

        using var response = await RunWithFakeClock(http.GetAsync("https://example.okta.com/api/v1/users/u1", Ct));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(3, okta.Attempts.Count);
        Assert.Equal([null, "1", "2"], okta.Attempts.Select(a => a.RetryCount));
        Assert.Equal([null, "req-0", "req-1"], okta.Attempts.Select(a => a.RetryFor));
    }

    [Fact]
    public async Task MaxRetries_zero_returns_the_first_429()
    {
        var okta = new ScriptedOkta(_time, _ => RateLimited("r", Start, Start.AddSeconds(1)));
        using var http = Client(okta, maxRetries: 0);

        using var response = await http.GetAsync("https://example.okta.com/api/v1/users/u1", Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Single(okta.Attempts);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task A_POST_is_not_retried_on_a_server_error(int status)
    {
        var okta = new ScriptedOkta(_time, _ => new HttpResponseMessage((HttpStatusCode)status));
        using var http = Client(okta);

        using var response = await http.PostAsync("https://example.okta.com/api/v1/users/u1/lifecycle/reset_factors", null, Ct);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Single(okta.Attempts);
    }

    [Fact]
    public async Task A_429_without_a_reset_header_is_not_retried()
    {
        var okta = new ScriptedOkta(_time, _ => new HttpResponseMessage(HttpStatusCode.TooManyRequests));
        using var http = Client(okta);

        using var response = await http.GetAsync("https://example.okta.com/api/v1/users/u1", Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Single(okta.Attempts);
    }

    [Fact]
    public void Delay_uses_the_earliest_reset_and_Oktas_Date_not_the_local_clock()
    {
        using var response = RateLimited("r", date: Start, resetAt: Start.AddSeconds(40));
        response.Headers.Add("X-Rate-Limit-Reset", Start.AddSeconds(10).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));

        // The local clock is 30 s behind Okta; only Okta's Date matters.
        var wait = OktaRateLimitDelay.Compute(response, Start.AddSeconds(-30));

        Assert.Equal(TimeSpan.FromSeconds(11), wait);
    }

    [Fact]
    public void Delay_for_a_reset_already_passed_is_one_second()
    {
        using var response = RateLimited("r", date: Start, resetAt: Start.AddSeconds(-5));

        Assert.Equal(TimeSpan.FromSeconds(1), OktaRateLimitDelay.Compute(response, Start));
    }

    [Fact]
    public async Task OktaClient_through_the_sandbox_rides_out_a_rate_limit()
    {
        await using var sandbox = await OktaSandbox.StartNewAsync(timeProvider: _time, cancellationToken: Ct);
        using var host = OktaTestHost.PointedAt(sandbox, _time);
        sandbox.RateLimitNext(1, TimeSpan.FromSeconds(3), operationId: "getUser");

        var result = await RunWithFakeClock(host.Services.GetRequiredService<OktaClient>().GetUserAsync("carol@example.com", Ct));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(OktaSandboxSeed.CarolId, result.Value.Id);
        Assert.Equal(2, sandbox.Requests.Count);
        Assert.Null(sandbox.Requests[0].Header("X-Okta-Retry-Count"));
        Assert.Equal("1", sandbox.Requests[1].Header("X-Okta-Retry-Count"));
        Assert.False(string.IsNullOrEmpty(sandbox.Requests[1].Header("X-Okta-Retry-For")));
    }

    [Fact]
    public async Task OktaClient_reports_a_rate_limit_that_outlasts_the_retries()
    {
        await using var sandbox = await OktaSandbox.StartNewAsync(timeProvider: _time, cancellationToken: Ct);
        using var host = OktaTestHost.PointedAt(sandbox, _time, maxRetries: 1);
        sandbox.RateLimitNext(5, TimeSpan.FromSeconds(1));

        var result = await RunWithFakeClock(host.Services.GetRequiredService<OktaClient>().ListFactorsAsync(OktaSandboxSeed.AliceId, Ct));

        Assert.True(result.Error?.IsRateLimited);
        Assert.Equal("E0000047", result.Error!.ErrorCode);
        Assert.Equal(2, sandbox.Requests.Count);
    }

    /// <summary>Moves the fake clock forward until the call completes (the handler waits on the fake clock).</summary>
    private async Task<T> RunWithFakeClock<T>(Task<T> call)
    {
        for (var i = 0; i < 600 && !call.IsCompleted; i++)
        {
            await Task.Delay(5, Ct);
            if (!call.IsCompleted)
            {
                _time.Advance(TimeSpan.FromSeconds(1));
            }
        }

        return await call;
    }

    private HttpClient Client(HttpMessageHandler okta, int maxRetries = 2) =>
        new(new OktaRateLimitHandler(
            Options.Create(new OktaClientOptions { MaxRetries = maxRetries }), _time, NullLogger<OktaRateLimitHandler>.Instance)
        {
            InnerHandler = okta,
        });

    private static HttpResponseMessage RateLimited(string requestId, DateTimeOffset date, DateTimeOffset resetAt)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests)
        {
            Content = new StringContent(OktaTestFiles.Fixture("spec-examples/ErrorTooManyRequests.json").ToJsonString(), Encoding.UTF8, "application/json"),
        };
        response.Headers.Date = date;
        response.Headers.Add("X-Okta-Request-Id", requestId);
        response.Headers.Add("X-Rate-Limit-Limit", "600");
        response.Headers.Add("X-Rate-Limit-Remaining", "0");
        response.Headers.Add("X-Rate-Limit-Reset", resetAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        return response;
    }

    /// <summary>A hand-written Okta stand-in: answers from a script, records what each attempt carried and when.</summary>
    private sealed class ScriptedOkta(TimeProvider time, params Func<int, HttpResponseMessage>[] script) : HttpMessageHandler
    {
        public List<(DateTimeOffset At, string? RetryFor, string? RetryCount, string Body)> Attempts { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            Attempts.Add((time.GetUtcNow(),
                request.Headers.TryGetValues("X-Okta-Retry-For", out var f) ? f.Single() : null,
                request.Headers.TryGetValues("X-Okta-Retry-Count", out var c) ? c.Single() : null,
                body));
            var n = Attempts.Count - 1;
            return script[Math.Min(n, script.Length - 1)](n);
        }
    }
}
