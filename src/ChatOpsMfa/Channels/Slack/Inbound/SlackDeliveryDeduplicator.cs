using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Slack.Inbound;

/// <summary>
/// Remembers what Slack already delivered (event ids, trigger ids, clicks), so retries, with or without
/// <c>X-Slack-Retry-Num</c>, are acknowledged but processed once. Bounded: old keys expire, and the map never
/// grows past <see cref="MaxKeys"/>.
/// </summary>
public sealed class SlackDeliveryDeduplicator(IOptions<SlackOptions> options, TimeProvider time)
{
    public const int MaxKeys = 50_000;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);

    /// <summary>True the first time <paramref name="key"/> is seen within the window; false for a repeat.</summary>
    public bool TryBegin(string key)
    {
        var now = time.GetUtcNow();
        if (_seen.Count >= MaxKeys)
        {
            Prune(now);
        }

        var until = now + options.Value.DeduplicationWindow;
        var added = false;
        _seen.AddOrUpdate(key,
            _ =>
            {
                added = true;
                return until;
            },
            (_, existing) =>
            {
                added = existing <= now;
                return added ? until : existing;
            });
        return added;
    }

    /// <summary>Forgets <paramref name="key"/>, when its work could not even be queued and Slack's retry must be processed.</summary>
    public void Forget(string key) => _seen.TryRemove(key, out _);

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, until) in _seen)
        {
            if (until <= now)
            {
                _seen.TryRemove(key, out _);
            }
        }

        // Still full of live keys: drop the oldest half rather than grow without bound.
        if (_seen.Count >= MaxKeys)
        {
            foreach (var (key, _) in _seen.OrderBy(p => p.Value).Take(MaxKeys / 2))
            {
                _seen.TryRemove(key, out _);
            }
        }
    }
}
