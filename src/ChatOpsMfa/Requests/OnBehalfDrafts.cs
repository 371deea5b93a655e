using System.Collections.Concurrent;
using System.Security.Cryptography;
using ChatOpsMfa.Channels;

namespace ChatOpsMfa.Requests;

/// <summary>
/// Who a help-desk member named in <c>/mfa-reset &lt;user&gt;</c>, kept on the server between the command and the form's
/// submission. The form carries only a random draft id: a forged submission cannot redirect the target's notice or
/// their activation secret to someone else.
/// </summary>
public sealed class OnBehalfDrafts(TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);
    private readonly ConcurrentDictionary<string, Draft> _drafts = new(StringComparer.Ordinal);

    public string Create(ChatUser requester, ChatUser target)
    {
        foreach (var stale in _drafts.Where(d => d.Value.Expires < time.GetUtcNow()).ToArray())
        {
            _drafts.TryRemove(stale.Key, out _);
        }

        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _drafts[id] = new Draft(requester.Id, target, time.GetUtcNow() + Lifetime);
        return id;
    }

    /// <summary>The target named in the draft, if it exists, has not expired and belongs to this requester.</summary>
    public ChatUser? Take(string draftId, ChatUser requester)
    {
        // Only its owner can use a draft, or spend it: someone else's guess leaves it in place.
        if (!_drafts.TryGetValue(draftId, out var draft) || draft.RequesterId != requester.Id)
        {
            return null;
        }

        return _drafts.TryRemove(draftId, out _) && draft.Expires >= time.GetUtcNow() ? draft.Target : null;
    }

    private sealed record Draft(string RequesterId, ChatUser Target, DateTimeOffset Expires);
}
