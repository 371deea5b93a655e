using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Slack.WebApi;

/// <summary>
/// Who a Slack user is, for the core: the stable user id, a display name, and the email Slack vouches for
/// (<c>users.info</c> or <c>users.lookupByEmail</c>, scope <c>users:read.email</c>; the profile field is <see cref="SlackOptions.EmailAttribute"/>).
/// Answers are kept for a few minutes so a burst of clicks does not spend the Tier 4 budget.
/// </summary>
public sealed class SlackUserDirectory(SlackApiClient api, SlackInstallation installation, IOptions<SlackOptions> options, TimeProvider time)
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
    /// Slack knows nobody by it, or nobody whose email may stand for an Okta login (see <see cref="MayMapToOkta"/>).
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
        return found.Email is null ? null : found;
    }

    private ChatUser ToChatUser(JsonObject? user, string userId, string? fallbackName)
    {
        var profile = user?["profile"] as JsonObject;
        var name = Text(profile, "real_name") ?? Text(profile, "display_name") ?? Text(user, "name") ?? fallbackName ?? userId;
        var email = user is not null && MayMapToOkta(user) ? Text(profile, options.Value.EmailAttribute) : null;
        return new ChatUser(userId, name, email);
    }

    /// <summary>
    /// Whether this account's email may stand for an Okta login: a full member of this installation's workspace (or
    /// organisation), with an email Slack has confirmed; never a guest (<c>is_restricted</c>, <c>is_ultra_restricted</c>),
    /// a Slack Connect stranger (<c>is_stranger</c>), a bot or app user, or a deactivated account. Anyone else gets no
    /// email, so the core cannot map them to anyone. Fields per users.info (docs.slack.dev, the user object).
    /// </summary>
    private bool MayMapToOkta(JsonObject user) =>
        installation.Owns(Text(user, "team_id"), Text(user["enterprise_user"] as JsonObject, "enterprise_id")) &&
        Flag(user, "is_email_confirmed") == true &&
        Flag(user, "is_bot") != true && Flag(user, "is_app_user") != true && Flag(user, "deleted") != true &&
        Flag(user, "is_restricted") != true && Flag(user, "is_ultra_restricted") != true && Flag(user, "is_stranger") != true;

    private static bool? Flag(JsonObject obj, string name) =>
        obj[name] is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;

    private static string? Text(JsonObject? obj, string name) =>
        obj?[name] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text : null;
}
