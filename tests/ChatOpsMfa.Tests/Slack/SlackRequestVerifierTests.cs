using System.Text;
using ChatOpsMfa.Channels.Slack;
using ChatOpsMfa.Channels.Slack.Inbound;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>Slack's published signing example (tests/specs/README.md) and the ways a request must be refused.</summary>
public sealed class SlackRequestVerifierTests
{
    private const string ExampleSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string ExampleTimestamp = "1531420618";
    private const string ExampleSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private const string ExampleBody =
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

    private static readonly byte[] Body = Encoding.UTF8.GetBytes(ExampleBody);

    [Fact]
    public void Published_example_signs_to_the_published_signature() =>
        Assert.Equal(ExampleSignature, SlackRequestVerifier.Sign(ExampleSecret, ExampleTimestamp, Body));

    [Fact]
    public void Published_example_is_valid_at_its_own_time()
    {
        var verifier = VerifierAt(DateTimeOffset.FromUnixTimeSeconds(1531420618 + 10));
        Assert.Equal(SlackVerification.Valid, verifier.Verify(ExampleTimestamp, ExampleSignature, Body));
    }

    [Fact]
    public void Published_example_is_stale_today()
    {
        var verifier = new SlackRequestVerifier(Options(ExampleSecret), TimeProvider.System);
        Assert.Equal(SlackVerification.StaleTimestamp, verifier.Verify(ExampleTimestamp, ExampleSignature, Body));
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public void Timestamps_more_than_five_minutes_away_are_refused(int offsetSeconds)
    {
        var verifier = VerifierAt(DateTimeOffset.FromUnixTimeSeconds(1531420618 - offsetSeconds));
        Assert.Equal(SlackVerification.StaleTimestamp, verifier.Verify(ExampleTimestamp, ExampleSignature, Body));
    }

    [Fact]
    public void Wrong_secret_is_refused() =>
        Assert.Equal(SlackVerification.BadSignature,
            VerifierAt(DateTimeOffset.FromUnixTimeSeconds(1531420618), "another-secret").Verify(ExampleTimestamp, ExampleSignature, Body));

    [Fact]
    public void Tampered_body_is_refused()
    {
        var tampered = Encoding.UTF8.GetBytes(ExampleBody.Replace("roadrunner", "coyote", StringComparison.Ordinal));
        Assert.Equal(SlackVerification.BadSignature,
            VerifierAt(DateTimeOffset.FromUnixTimeSeconds(1531420618)).Verify(ExampleTimestamp, ExampleSignature, tampered));
    }

    [Theory]
    [InlineData(null, ExampleSignature)]
    [InlineData(ExampleTimestamp, null)]
    [InlineData("", "")]
    public void Missing_headers_are_refused(string? timestamp, string? signature) =>
        Assert.Equal(SlackVerification.MissingHeaders,
            VerifierAt(DateTimeOffset.FromUnixTimeSeconds(1531420618)).Verify(timestamp, signature, Body));

    [Fact]
    public void A_timestamp_that_is_not_a_number_is_refused() =>
        Assert.Equal(SlackVerification.BadTimestamp,
            VerifierAt(DateTimeOffset.FromUnixTimeSeconds(1531420618)).Verify("1531420618.5", ExampleSignature, Body));

    [Fact]
    public void Without_a_configured_secret_nothing_is_valid() =>
        Assert.Equal(SlackVerification.NoSecretConfigured,
            VerifierAt(DateTimeOffset.FromUnixTimeSeconds(1531420618), "").Verify(ExampleTimestamp, ExampleSignature, Body));

    private static SlackRequestVerifier VerifierAt(DateTimeOffset now, string secret = ExampleSecret) =>
        new(Options(secret), new FakeTimeProvider(now));

    private static IOptions<SlackOptions> Options(string secret) =>
        Microsoft.Extensions.Options.Options.Create(new SlackOptions { SigningSecret = secret });
}
