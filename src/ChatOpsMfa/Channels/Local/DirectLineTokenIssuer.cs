using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Local;

/// <summary>
/// Issues opaque random bearer tokens and remembers what each one grants. Tokens live in memory only:
/// the local channel forgets everything on restart, and Web Chat then asks the page for a new token.
/// </summary>
internal sealed class DirectLineTokenIssuer(IOptions<LocalChatOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DirectLineTokenGrant> grants = new(StringComparer.Ordinal);
    private readonly Lock issuing = new();

    public TimeSpan Lifetime => options.Value.TokenLifetime;

    /// <summary>How many tokens are still alive.</summary>
    public int LiveCount
    {
        get
        {
            RemoveExpired();
            return grants.Count;
        }
    }

    /// <summary>A new token for the conversation, or null when <see cref="LocalChatOptions.MaxTokens"/> tokens are alive.</summary>
    public string? TryIssue(string conversationId, ChatUser? user)
    {
        // The count and the add happen together, so concurrent calls cannot overshoot the cap.
        lock (issuing)
        {
            RemoveExpired();
            if (grants.Count >= options.Value.MaxTokens)
            {
                return null;
            }

            var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
                .TrimEnd('=').Replace('+', '-').Replace('/', '_');
            grants[token] = new DirectLineTokenGrant(conversationId, user, time.GetUtcNow() + Lifetime);
            return token;
        }
    }

    /// <summary>The error text when the cap is reached, naming the setting.</summary>
    public string CapReachedMessage =>
        $"{options.Value.MaxTokens} Direct Line tokens are alive already (LocalChat:MaxTokens); try again when some have expired.";

    /// <summary>The grant of a live token, or null when the token is unknown or expired.</summary>
    public DirectLineTokenGrant? Find(string token)
    {
        if (!grants.TryGetValue(token, out var grant))
        {
            return null;
        }

        if (grant.ExpiresAt <= time.GetUtcNow())
        {
            grants.TryRemove(token, out _);
            return null;
        }

        return grant;
    }

    /// <summary>
    /// The name the page (or a Direct Line client) gave <paramref name="userId"/> with its newest live token, or null.
    /// Only live tokens count, so what is remembered stays within <see cref="LocalChatOptions.MaxTokens"/>.
    /// </summary>
    public string? NameOf(string userId)
    {
        var now = time.GetUtcNow();
        return grants.Values
            .Where(grant => grant.ExpiresAt > now && grant.User is { } user && user.Id == userId && user.Name != user.Id)
            .OrderByDescending(grant => grant.ExpiresAt)
            .Select(grant => grant.User!.Name)
            .FirstOrDefault();
    }

    public int SecondsLeft(DirectLineTokenGrant grant) =>
        (int)Math.Max(0, (grant.ExpiresAt - time.GetUtcNow()).TotalSeconds);

    private void RemoveExpired()
    {
        var now = time.GetUtcNow();
        foreach (var (token, grant) in grants)
        {
            if (grant.ExpiresAt <= now)
            {
                grants.TryRemove(token, out _);
            }
        }
    }
}
