using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Slack.WebApi;

/// <summary>
/// Who a Slack user is, for the core: the stable user id, a display name, and the email Slack vouches for
/// (<c>users.info</c> or <c>users.lookupByEmail</c>, scope <c>users:read.email</c>; the profile field is <see cref="SlackOptions.EmailAttribute"/>).
/// Answers are kept for a few minutes so a burst of clicks does not spend the Tier 4 budget.
/// </summary>
public sealed class SlackUserDirectory(SlackApiClient api, IOptions<SlackOptions> options, TimeProvider time)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, (ChatUser User, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public async Task<ChatUser> FindAsync(string userId, string? fallbackName, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(userId, out var cached) && cached.Until > now)
        {
            return cached.User;
        }

        var answer = await api.CallAsync("users.info", new JsonObject { ["user"] = userId }, cancellationToken);
        var found = ToChatUser(answer["user"] as JsonObject, userId, fallbackName);
        _cache[userId] = (found, now + CacheFor);
        return found;
    }

    /// <summary>
    /// The person Slack knows by this email (<c>users.lookupByEmail</c>, scope <c>users:read.email</c>), or null when
    /// Slack knows nobody by it. A bot or deactivated account comes back without an email, which the core refuses.
    /// </summary>
    public async Task<ChatUser?> FindByEmailAsync(string email, CancellationToken cancellationToken)
    {
        JsonObject answer;
        try
        {
            answer = await api.CallAsync("users.lookupByEmail", new JsonObject { ["email"] = email }, cancellationToken);
        }
        catch (SlackApiException error) when (error.Error == "users_not_found")
        {
            return null; // an expected answer: nobody in this workspace has that address
        }

        if (answer["user"] is not JsonObject user || Text(user, "id") is not { } userId || !SlackIds.IsUserId(userId))
        {
            return null;
        }

        var found = ToChatUser(user, userId, null);
        _cache[userId] = (found, time.GetUtcNow() + CacheFor);
        return found;
    }

    private ChatUser ToChatUser(JsonObject? user, string userId, string? fallbackName)
    {
        var profile = user?["profile"] as JsonObject;
        var name = Text(profile, "real_name") ?? Text(profile, "display_name") ?? Text(user, "name") ?? fallbackName ?? userId;
        // Only a confirmed, non-bot account maps to an Okta login; anything else gets no email and the core refuses it.
        var isPerson = user?["is_bot"]?.GetValue<bool>() != true && user?["deleted"]?.GetValue<bool>() != true;
        var email = isPerson ? Text(profile, options.Value.EmailAttribute) : null;
        return new ChatUser(userId, name, email);
    }

    private static string? Text(JsonObject? obj, string name) =>
        obj?[name] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text : null;
}
