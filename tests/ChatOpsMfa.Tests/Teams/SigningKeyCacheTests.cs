using ChatOpsMfa.Channels.Teams.Auth;
using ChatOpsMfa.Tests.Teams.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ChatOpsMfa.Tests.Teams;

/// <summary>The OpenID key cache: fetched once, re-fetched for an unknown kid (rate-limited), after a day, and never in anyone's way.</summary>
public sealed class SigningKeyCacheTests : IAsyncLifetime
{
    private FakeBotFramework _fake = null!;

    public async ValueTask InitializeAsync()
    {
        _fake = await FakeBotFramework.StartAsync();
        _fake.BotFrameworkKeys.Add(new TestSigningKey("old", "msteams"));
    }

    public async ValueTask DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task Many_lookups_of_a_known_key_fetch_the_metadata_once()
    {
        using var http = new HttpClient();
        var keys = new OpenIdSigningKeys(_fake.MetadataUrl, http, new FakeTimeProvider(DateTimeOffset.UtcNow), NullLogger.Instance);

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => keys.FindAsync("old", TestContext.Current.CancellationToken)));

        Assert.NotNull(await keys.FindAsync("old", TestContext.Current.CancellationToken));
        Assert.Equal(1, _fake.MetadataFetches);
        Assert.Equal(["msteams"], (await keys.FindAsync("old", TestContext.Current.CancellationToken))!.Endorsements);
    }

    [Fact]
    public async Task A_rotated_key_is_fetched_when_its_kid_first_appears_but_made_up_kids_cannot_force_fetches()
    {
        using var http = new HttpClient();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var keys = new OpenIdSigningKeys(_fake.MetadataUrl, http, time, NullLogger.Instance);
        Assert.NotNull(await keys.FindAsync("old", TestContext.Current.CancellationToken));

        // Within the refetch interval an unknown kid does not reach the metadata endpoint.
        for (var i = 0; i < 20; i++)
        {
            Assert.Null(await keys.FindAsync("made-up-" + i, TestContext.Current.CancellationToken));
        }

        Assert.Equal(1, _fake.MetadataFetches);

        // Microsoft rotates: a new key is published; once the interval has passed its first token triggers one fetch.
        _fake.BotFrameworkKeys.Add(new TestSigningKey("new", "msteams"));
        time.Advance(OpenIdSigningKeys.UnknownKeyRefetchInterval);
        Assert.NotNull(await keys.FindAsync("new", TestContext.Current.CancellationToken));
        Assert.NotNull(await keys.FindAsync("new", TestContext.Current.CancellationToken));
        Assert.Equal(2, _fake.MetadataFetches);
    }

    [Fact]
    public async Task Keys_are_fetched_again_after_a_day()
    {
        using var http = new HttpClient();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var keys = new OpenIdSigningKeys(_fake.MetadataUrl, http, time, NullLogger.Instance);
        await keys.FindAsync("old", TestContext.Current.CancellationToken);

        time.Advance(OpenIdSigningKeys.MaximumAge);
        Assert.NotNull(await keys.FindAsync("old", TestContext.Current.CancellationToken));

        // The day-old key still served that lookup at once; the refresh runs behind it.
        await Eventually.WaitUntilAsync(() => _fake.MetadataFetches == 2, "the background refresh");
    }

    /// <summary>
    /// The metadata endpoint hangs when the keys are a day old: every token with a known key is still checked at
    /// once, none waits for the refresh, and the many lookups start one fetch between them.
    /// </summary>
    [Fact]
    public async Task While_the_metadata_hangs_day_old_keys_keep_serving_and_nobody_waits()
    {
        using var http = new HttpClient();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var keys = new OpenIdSigningKeys(_fake.MetadataUrl, http, time, NullLogger.Instance);
        Assert.NotNull(await keys.FindAsync("old", TestContext.Current.CancellationToken));
        time.Advance(OpenIdSigningKeys.MaximumAge + TimeSpan.FromMinutes(1));

        using (_fake.HoldMetadata())
        {
            var lookups = Enumerable.Range(0, 50).Select(_ => keys.FindAsync("old", TestContext.Current.CancellationToken)).ToArray();
            var found = await Task.WhenAll(lookups).WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

            Assert.All(found, Assert.NotNull);
            await Eventually.WaitUntilAsync(() => _fake.MetadataFetches == 2, "the one background refresh");
            Assert.Equal(2, _fake.MetadataFetches); // one at the start, one refresh for all fifty, still hanging
        }
    }

    /// <summary>The metadata is down: the cached keys keep serving, and fetches are throttled instead of repeated per token.</summary>
    [Fact]
    public async Task During_an_outage_cached_keys_serve_and_refetches_are_throttled()
    {
        using var http = new HttpClient();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var keys = new OpenIdSigningKeys(_fake.MetadataUrl, http, time, NullLogger.Instance);
        Assert.NotNull(await keys.FindAsync("old", TestContext.Current.CancellationToken));
        _fake.MetadataDown = true;
        time.Advance(OpenIdSigningKeys.MaximumAge);

        for (var i = 0; i < 20; i++)
        {
            Assert.NotNull(await keys.FindAsync("old", TestContext.Current.CancellationToken));
            Assert.Null(await keys.FindAsync("unknown-" + i, TestContext.Current.CancellationToken));
        }

        await Eventually.WaitUntilAsync(() => _fake.MetadataFetches >= 2, "the failed refresh");
        Assert.Equal(2, _fake.MetadataFetches);

        // After the back-off, one more attempt; when the metadata is back, the refreshed keys are used.
        _fake.MetadataDown = false;
        time.Advance(OpenIdSigningKeys.RetryAfterFailure);
        Assert.NotNull(await keys.FindAsync("old", TestContext.Current.CancellationToken));
        await Eventually.WaitUntilAsync(() => _fake.MetadataFetches == 3, "the next refresh");
    }
}
